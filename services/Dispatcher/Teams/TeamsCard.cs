using System.Globalization;
using System.Text.Json.Nodes;
using ContextPush.Contracts;
using ContextPush.Wording;

namespace ContextPush.Dispatcher.Teams;

/// <summary>
/// An Adaptive Card 1.4 (the version Teams' Workflows webhooks render) in the message envelope Teams
/// expects. Plain webhooks cannot call back, so the actions are links: to the CRM, and to signed
/// Callbacks URLs for "Mark as reviewed" and "Snooze 7 days".
/// </summary>
public static class TeamsCard
{
    // opens: the card's links as sent (through Callbacks, which counts the opens); without them, the context's own.
    public static JsonObject Build(DeliveryApproved approved, Uri review, Uri snooze, IReadOnlyList<CardLink>? opens = null)
    {
        var context = approved.Context;
        var facts = new JsonArray();
        foreach (var (name, value) in approved.Delta.Metrics)
        {
            var previous = approved.Delta.PreviousMetrics.GetValueOrDefault(name);
            facts.Add(new JsonObject
            {
                ["title"] = CultureInfo.InvariantCulture.TextInfo.ToTitleCase(name.Replace('_', ' ')),
                ["value"] = MetricText.Describe(value, previous, MetricText.Of(approved.Delta, name)),
            });
        }

        var body = new JsonArray
        {
            new JsonObject { ["type"] = "TextBlock", ["text"] = TextEscaping.Teams(context.Headline), ["weight"] = "Bolder", ["size"] = "Medium", ["wrap"] = true },
            new JsonObject { ["type"] = "FactSet", ["facts"] = facts },
        };
        foreach (var line in FormattedContext.LinesFor(context, TextFormat.Teams))
        {
            body.Add(new JsonObject { ["type"] = "TextBlock", ["text"] = line, ["wrap"] = true, ["isSubtle"] = true, ["spacing"] = "Small" });
        }

        var actions = new JsonArray();
        foreach (var link in (opens ?? context.Links).Take(3))
        {
            actions.Add(OpenUrl(link.Label, link.Url));
        }

        actions.Add(OpenUrl("Mark as reviewed", review.ToString()));
        actions.Add(OpenUrl("Snooze 7 days", snooze.ToString()));

        return TeamsLimits.Enforce(Message(body, actions));
    }

    /// <summary>An Adaptive Card 1.4 in the message envelope a Workflows webhook takes.</summary>
    public static JsonObject Message(JsonArray body, JsonArray actions) => new()
    {
        ["type"] = "message",
        ["attachments"] = new JsonArray
        {
            new JsonObject
            {
                ["contentType"] = "application/vnd.microsoft.card.adaptive",
                ["contentUrl"] = null,
                ["content"] = new JsonObject
                {
                    ["$schema"] = "http://adaptivecards.io/schemas/adaptive-card.json",
                    ["type"] = "AdaptiveCard",
                    ["version"] = "1.4",
                    ["body"] = body,
                    ["actions"] = actions,
                },
            },
        },
    };

    private static JsonObject OpenUrl(string title, string url) => new() { ["type"] = "Action.OpenUrl", ["title"] = title, ["url"] = url };


}
