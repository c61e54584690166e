using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using ContextPush.CardActions;
using ContextPush.Contracts;
using ContextPush.Wording;

namespace ContextPush.Dispatcher.Slack;

/// <summary>The Block Kit card for an approved delta: header, numbers, context and actions.</summary>
public static class SlackCard
{
    public const string ActionsBlockId = "contextpush_actions";

    /// <summary>The line an edit adds (reviewed, snoozed, resolved): kept whole whatever else must be cut.</summary>
    public const string StatusBlockId = "contextpush_status";

    public static JsonObject Build(DeliveryApproved approved, string channel, DateTimeOffset sentAt)
    {
        var context = approved.Context;
        var blocks = new JsonArray
        {
            new JsonObject
            {
                ["type"] = "header",
                ["text"] = PlainText(context.Headline),
            },
        };

        var fields = new JsonArray();
        foreach (var (name, value) in approved.Delta.Metrics)
        {
            var previous = approved.Delta.PreviousMetrics.GetValueOrDefault(name);
            var text = $"*{SlackText.Escape(Humanize(name))}*\n{SlackText.Escape(MetricText.Describe(value, previous, MetricText.Of(approved.Delta, name)))}";
            fields.Add(Mrkdwn(text));
        }

        if (fields.Count > 0)
        {
            blocks.Add(new JsonObject { ["type"] = "section", ["fields"] = fields });
        }

        var lines = new JsonArray { Mrkdwn(OwnerLine(context.Owner)) };
        foreach (var line in ContextLines(context))
        {
            lines.Add(Mrkdwn(line));
        }

        blocks.Add(new JsonObject { ["type"] = "context", ["elements"] = lines });
        blocks.Add(new JsonObject
        {
            ["type"] = "actions",
            ["block_id"] = ActionsBlockId,
            ["elements"] = Buttons(approved, sentAt),
        });

        return SlackLimits.Enforce(new JsonObject
        {
            ["channel"] = channel,
            ["text"] = SlackText.Escape(context.Headline), // the notification's plain-text fallback
            ["blocks"] = blocks,
            ["unfurl_links"] = false,
            ["metadata"] = Metadata(approved.DeltaId),
        });
    }

    public const string MetadataEventType = "contextpush_card";

    /// <summary>
    /// The DeltaId in the message's metadata: after a crash between Slack accepting a card and our
    /// record of it, the next attempt finds the card in the conversation's history instead of posting it twice.
    /// </summary>
    public static JsonObject Metadata(Guid deltaId) => new()
    {
        ["event_type"] = MetadataEventType,
        ["event_payload"] = new JsonObject { ["delta_id"] = deltaId.ToString() },
    };

    /// <summary>
    /// The card after someone acted on it: the same content with its buttons gone, and a line saying
    /// who did what and when, so nobody else spends time on it.
    /// </summary>
    public static JsonObject Acted(JsonObject original, CardActioned action)
    {
        var card = original.DeepClone().AsObject();
        var blocks = card["blocks"]!.AsArray();
        foreach (var actions in blocks.Where(b => (string?)b!["block_id"] == ActionsBlockId).ToList())
        {
            blocks.Remove(actions);
        }

        var when = $"<!date^{action.ActedAt.ToUnixTimeSeconds()}^{{date_short_pretty}} at {{time}}|{action.ActedAt:u}>";
        var what = action.Action == CardAction.Snoozed ? $"Snoozed for {action.SnoozeDays} days"
            : action.Channel is "salesforce" or "hubspot" ? $"Reviewed (task completed in {(action.Channel == "hubspot" ? "HubSpot" : "Salesforce")})"
            : "Reviewed";
        var who = action.Channel == "slack" ? $"<@{action.ActorId}>" : SlackText.Escape(action.ActorName ?? action.ActorId);
        blocks.Add(new JsonObject { ["type"] = "context", ["block_id"] = StatusBlockId, ["elements"] = new JsonArray { Mrkdwn($":white_check_mark: {what} by {who} {when}") } });
        card["text"] = $"{what}: {card["text"]}";
        return SlackLimits.Enforce(card);
    }

    /// <summary>Several accounts in one message: a section per account with its CRM link, as many as Slack's block limit allows.</summary>
    public static JsonObject Digest(DigestApproved digest, string channel)
    {
        var blocks = new JsonArray
        {
            new JsonObject { ["type"] = "header", ["text"] = PlainText($"{digest.Items.Count} accounts need attention ({digest.PushId})") },
        };
        const int shown = SlackLimits.MaxBlocks - 2;
        foreach (var item in digest.Items.Take(shown))
        {
            var context = item.Context;
            var section = new JsonObject
            {
                ["type"] = "section",
                ["text"] = Mrkdwn($"*{SlackText.Escape(context.Headline)}*\n{string.Join(" · ", ContextLines(context))}"),
            };
            if (context.Links.FirstOrDefault() is { } link && link.Url.Length <= SlackLimits.MaxUrl)
            {
                section["accessory"] = new JsonObject
                {
                    ["type"] = "button", ["action_id"] = $"{SlackActionIds.OpenCrm}_{blocks.Count}", ["text"] = PlainText(link.Label), ["url"] = link.Url,
                    ["value"] = ButtonValue(item.Delta, item.Delta.CorrelationId, digest.DueAt),
                };
            }

            blocks.Add(section);
        }

        if (digest.Items.Count > shown)
        {
            blocks.Add(new JsonObject { ["type"] = "context", ["elements"] = new JsonArray { Mrkdwn($"…and {digest.Items.Count - shown} more") } });
        }

        return SlackLimits.Enforce(new JsonObject
        {
            ["channel"] = channel,
            ["text"] = $"{digest.Items.Count} accounts need attention",
            ["blocks"] = blocks,
            ["unfurl_links"] = false,
        });
    }

    /// <summary>The card once its account left the cohort: buttons gone, and a line saying it resolved itself.</summary>
    public static JsonObject Resolved(JsonObject original, DeliveryApproved resolution)
    {
        var card = original.DeepClone().AsObject();
        var blocks = card["blocks"]!.AsArray();
        foreach (var actions in blocks.Where(b => (string?)b!["block_id"] == ActionsBlockId).ToList())
        {
            blocks.Remove(actions);
        }

        var when = $"<!date^{resolution.ApprovedAt.ToUnixTimeSeconds()}^{{date_short_pretty}} at {{time}}|{resolution.ApprovedAt:u}>";
        blocks.Add(new JsonObject
        {
            ["type"] = "context", ["block_id"] = StatusBlockId,
            ["elements"] = new JsonArray { Mrkdwn($":large_green_circle: Resolved: {SlackText.Truncate(SlackText.Escape(resolution.Context.Headline), 500)} {when}") },
        });
        card["text"] = $"Resolved: {card["text"]}";
        return SlackLimits.Enforce(card);
    }

    private static JsonArray Buttons(DeliveryApproved approved, DateTimeOffset sentAt)
    {
        var buttons = new JsonArray();
        var value = ButtonValue(approved.Delta, approved.CorrelationId, sentAt);
        foreach (var link in approved.Context.Links.Take(3))
        {
            // The value too: Slack opens the URL itself and still sends the click, which Callbacks records as "opened".
            buttons.Add(new JsonObject
            {
                ["type"] = "button",
                ["action_id"] = buttons.Count == 0 ? SlackActionIds.OpenCrm : $"{SlackActionIds.OpenCrm}_{buttons.Count}",
                ["text"] = PlainText(link.Label),
                ["url"] = link.Url,
                ["value"] = value,
            });
        }

        buttons.Add(new JsonObject
        {
            ["type"] = "button",
            ["action_id"] = SlackActionIds.Review,
            ["text"] = PlainText("Mark as reviewed"),
            ["style"] = "primary",
            ["value"] = value,
        });
        buttons.Add(new JsonObject
        {
            ["type"] = "button",
            ["action_id"] = SlackActionIds.SnoozeSevenDays,
            ["text"] = PlainText("Snooze 7 days"),
            ["value"] = value,
        });
        return buttons;
    }

    /// <summary>What a button tells Callbacks of its card: the delta, and when the card went out (for the time to action).</summary>
    private static string ButtonValue(DeltaDetected delta, Guid correlationId, DateTimeOffset sentAt) => JsonSerializer.Serialize(new CardButtonValue(
        delta.DeltaId, correlationId, delta.PushId, delta.AccountKey, sentAt.ToUnixTimeSeconds(), System.Diagnostics.Activity.Current?.Id));

    private static string OwnerLine(AccountOwner? owner) => owner switch
    {
        null => "Owner: unknown",
        { SlackUserId: { Length: > 0 } id } => $"Owner: <@{id}>",
        _ => $"Owner: {SlackText.Escape(owner.Name)}",
    };

    private static JsonObject PlainText(string text) => new() { ["type"] = "plain_text", ["text"] = text, ["emoji"] = true };

    private static JsonObject Mrkdwn(string text) => new() { ["type"] = "mrkdwn", ["text"] = text };

    private static string Humanize(string name) => CultureInfo.InvariantCulture.TextInfo.ToTitleCase(name.Replace('_', ' '));


    /// <summary>The context lines as mrkdwn, without the owner line: the card mentions the owner itself.</summary>
    private static IEnumerable<string> ContextLines(AssembledContext context) =>
        FormattedContext.LinesFor(context, TextFormat.Slack).Where(l => !l.StartsWith("Owner:", StringComparison.Ordinal));
}
