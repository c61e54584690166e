using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using ContextPush.Contracts;

namespace ContextPush.Dispatcher.Slack;

/// <summary>The Block Kit card for an approved delta: header, numbers, context and actions.</summary>
public static class SlackCard
{
    public const string ReviewActionId = "mark_reviewed";
    public const string OpenCrmActionId = "open_crm";

    public static JsonObject Build(DeliveryApproved approved, string channel)
    {
        var context = approved.Context;
        var blocks = new JsonArray
        {
            new JsonObject
            {
                ["type"] = "header",
                ["text"] = PlainText(SlackText.Truncate(context.Headline, 150)),
            },
        };

        var fields = new JsonArray();
        foreach (var (name, value) in approved.Delta.Metrics.Take(10))
        {
            var previous = approved.Delta.PreviousMetrics.GetValueOrDefault(name);
            var text = $"*{SlackText.Escape(Humanize(name))}*\n{Format(value)}" + (previous is null ? "" : $" (was {Format(previous)})");
            fields.Add(Mrkdwn(text));
        }

        if (fields.Count > 0)
        {
            blocks.Add(new JsonObject { ["type"] = "section", ["fields"] = fields });
        }

        var lines = new JsonArray { Mrkdwn(OwnerLine(context.Owner)) };
        foreach (var line in context.Lines.Where(l => !l.StartsWith("Owner:", StringComparison.Ordinal)))
        {
            lines.Add(Mrkdwn(SlackText.Truncate(SlackText.Escape(line), 3000)));
        }

        blocks.Add(new JsonObject { ["type"] = "context", ["elements"] = lines });
        blocks.Add(new JsonObject
        {
            ["type"] = "actions",
            ["block_id"] = "contextpush_actions",
            ["elements"] = Buttons(approved),
        });

        return new JsonObject
        {
            ["channel"] = channel,
            ["text"] = SlackText.Escape(context.Headline), // the notification's plain-text fallback
            ["blocks"] = blocks,
            ["unfurl_links"] = false,
        };
    }

    private static JsonArray Buttons(DeliveryApproved approved)
    {
        var buttons = new JsonArray();
        foreach (var link in approved.Context.Links.Take(3))
        {
            buttons.Add(new JsonObject
            {
                ["type"] = "button",
                ["action_id"] = buttons.Count == 0 ? OpenCrmActionId : $"{OpenCrmActionId}_{buttons.Count}",
                ["text"] = PlainText(SlackText.Truncate(link.Label, 75)),
                ["url"] = link.Url,
            });
        }

        var value = JsonSerializer.Serialize(new CardButtonValue(approved.DeltaId, approved.CorrelationId, approved.Delta.PushId, approved.Delta.AccountKey));
        buttons.Add(new JsonObject
        {
            ["type"] = "button",
            ["action_id"] = ReviewActionId,
            ["text"] = PlainText("Mark as reviewed"),
            ["style"] = "primary",
            ["value"] = value,
        });
        return buttons;
    }

    private static string OwnerLine(AccountOwner? owner) => owner switch
    {
        null => "Owner: unknown",
        { SlackUserId: { Length: > 0 } id } => $"Owner: <@{id}>",
        _ => $"Owner: {SlackText.Escape(owner.Name)}",
    };

    private static JsonObject PlainText(string text) => new() { ["type"] = "plain_text", ["text"] = text, ["emoji"] = true };

    private static JsonObject Mrkdwn(string text) => new() { ["type"] = "mrkdwn", ["text"] = text };

    private static string Humanize(string name) => CultureInfo.InvariantCulture.TextInfo.ToTitleCase(name.Replace('_', ' '));

    private static string Format(decimal? value) => value is null ? "n/a" : value.Value.ToString("0.####", CultureInfo.InvariantCulture);
}
