using System.Text.Json.Nodes;

namespace ContextPush.Dispatcher.Slack;

/// <summary>
/// Slack's Block Kit limits (https://api.slack.com/reference/block-kit), enforced before sending, new
/// cards and edited ones alike, so a card is never rejected for its size. Text is cut with an
/// ellipsis, least important first: context lines, then the numbers, the headline last; the header,
/// the buttons and an edit's status line are kept. What cannot be cut safely is dropped whole: a
/// truncated URL is a broken link, a truncated button value identifies no card.
/// </summary>
public static class SlackLimits
{
    public const int MaxBlocks = 50;
    public const int MaxHeaderText = 150;
    public const int MaxSectionText = 3000;
    public const int MaxSectionFields = 10;
    public const int MaxFieldText = 2000;
    public const int MaxContextElements = 10;
    public const int MaxButtonText = 75;
    public const int MaxActionId = 255;
    public const int MaxBlockId = 255;
    public const int MaxButtonValue = 2000;
    public const int MaxUrl = 3000;
    public const int MaxFallbackText = 3000;

    /// <summary>Our own cap on all text in a card: beyond it a card is a report nobody reads, and Slack truncates long messages.</summary>
    public const int TextBudget = 12_000;

    public static JsonObject Enforce(JsonObject message)
    {
        if ((string?)message["text"] is { Length: > MaxFallbackText } fallback)
        {
            message["text"] = SlackText.Truncate(fallback, MaxFallbackText);
        }

        var blocks = message["blocks"]!.AsArray();
        foreach (var block in blocks.OfType<JsonObject>())
        {
            EnforceBlock(block);
        }

        // Least important first: later context blocks, then later sections; the header, actions and status stay.
        while (blocks.Count > MaxBlocks)
        {
            var victim = blocks.LastOrDefault(b => (string?)b!["type"] == "context" && !IsKept(b))
                ?? blocks.Last(b => (string?)b!["type"] is not ("header" or "actions") && !IsKept(b));
            blocks.Remove(victim);
        }

        TrimToBudget(blocks);
        return message;
    }

    private static void EnforceBlock(JsonObject block)
    {
        Cap(block, "block_id", MaxBlockId);
        switch ((string?)block["type"])
        {
            case "header":
                Cap(block["text"]!.AsObject(), "text", MaxHeaderText);
                break;
            case "section":
                if (block["text"] is JsonObject text)
                {
                    Cap(text, "text", MaxSectionText);
                }

                if (block["fields"] is JsonArray fields)
                {
                    Keep(fields, MaxSectionFields);
                    foreach (var field in fields.OfType<JsonObject>())
                    {
                        Cap(field, "text", MaxFieldText);
                    }
                }

                break;
            case "context":
                var elements = block["elements"]!.AsArray();
                if (elements.Count > MaxContextElements)
                {
                    var hidden = elements.Count - MaxContextElements + 1;
                    Keep(elements, MaxContextElements - 1);
                    elements.Add(new JsonObject { ["type"] = "mrkdwn", ["text"] = $"…and {hidden} more" });
                }

                foreach (var element in elements.OfType<JsonObject>())
                {
                    Cap(element, "text", MaxSectionText);
                }

                break;
            case "actions":
                EnforceButtons(block["elements"]!.AsArray());
                break;
        }
    }

    private static void EnforceButtons(JsonArray buttons)
    {
        foreach (var button in buttons.OfType<JsonObject>().ToList())
        {
            if ((string?)button["url"] is { Length: > MaxUrl }
                || (string?)button["value"] is { Length: > MaxButtonValue } && button["url"] is null)
            {
                buttons.Remove(button);
                continue;
            }

            if ((string?)button["value"] is { Length: > MaxButtonValue })
            {
                // A link still works without its value; only its click goes unrecorded.
                button.Remove("value");
            }

            Cap(button["text"]!.AsObject(), "text", MaxButtonText);
            Cap(button, "action_id", MaxActionId);
        }
    }

    /// <summary>Shortens the longest context line, then the longest field, until the card's text fits the budget.</summary>
    private static void TrimToBudget(JsonArray blocks)
    {
        var excess = Texts(blocks).Sum(t => ((string?)t["text"])?.Length ?? 0) - TextBudget;
        foreach (var tier in new[] { "context", "section" })
        {
            while (excess > 0)
            {
                var longest = blocks.OfType<JsonObject>().Where(b => (string?)b["type"] == tier && !IsKept(b)).SelectMany(Texts)
                    .MaxBy(t => ((string?)t["text"])?.Length ?? 0);
                var length = ((string?)longest?["text"])?.Length ?? 0;
                if (longest is null || length <= 40)
                {
                    break;
                }

                var target = Math.Max(40, length - excess);
                longest["text"] = SlackText.Truncate((string)longest["text"]!, target);
                excess -= length - target;
            }
        }
    }

    private static bool IsKept(JsonNode? block) => (string?)block?["block_id"] == SlackCard.StatusBlockId;

    private static IEnumerable<JsonObject> Texts(JsonNode? node) => node switch
    {
        JsonObject o when o.ContainsKey("text") && o["text"] is JsonValue => [o],
        JsonObject o => o.Select(p => p.Value).SelectMany(Texts),
        JsonArray a => a.SelectMany(Texts),
        _ => [],
    };

    private static void Cap(JsonObject owner, string property, int max)
    {
        if ((string?)owner[property] is { } value && value.Length > max)
        {
            owner[property] = SlackText.Truncate(value, max);
        }
    }

    private static void Keep(JsonArray array, int count)
    {
        while (array.Count > count)
        {
            array.RemoveAt(array.Count - 1);
        }
    }
}
