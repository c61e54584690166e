using System.Text;
using System.Text.Json.Nodes;

namespace ContextPush.Dispatcher.Teams;

/// <summary>
/// Keeps a Teams message under the size Teams accepts (about 28 KB for a whole message sent to a
/// webhook), whatever the data holds. Least important first: context lines are dropped from the end,
/// then the longest remaining text is shortened; the headline, the numbers' names and the
/// review and snooze links stay. A link too long to send is dropped rather than cut into a broken one.
/// </summary>
public static class TeamsLimits
{
    /// <summary>Under Teams' 28 KB, leaving room for what its webhook adds around the card.</summary>
    public const int MaxPayloadBytes = 26_000;

    /// <summary>Longest text a single TextBlock or fact keeps once the card is over budget.</summary>
    private const int ShortestCut = 200;

    public static JsonObject Enforce(JsonObject message)
    {
        var content = message["attachments"]![0]!["content"]!.AsObject();
        var body = content["body"]!.AsArray();
        var actions = content["actions"]!.AsArray();
        foreach (var link in actions.OfType<JsonObject>().Where(a => ((string?)a["url"])?.Length > 2_000).ToList())
        {
            actions.Remove(link);
        }

        while (Size(message) > MaxPayloadBytes && body.LastOrDefault(b => (bool?)b!["isSubtle"] == true) is { } line)
        {
            body.Remove(line);
        }

        // Each cut leaves at least ShortestCut characters and the ellipsis, so it must shorten by at least one.
        while (Size(message) > MaxPayloadBytes && LongestText(body) is { } longest && ((string)longest.Owner[longest.Property]!).Length >= ShortestCut + 2)
        {
            var text = (string)longest.Owner[longest.Property]!;
            longest.Owner[longest.Property] = text[..Math.Max(ShortestCut, text.Length / 2)].TrimEnd() + "…";
        }

        // Only a push with very many metrics gets here: the last numbers go, and the card says so.
        var facts = body.OfType<JsonObject>().FirstOrDefault(b => (string?)b["type"] == "FactSet")?["facts"]!.AsArray();
        var dropped = 0;
        while (Size(message) > MaxPayloadBytes && facts is { Count: > 1 })
        {
            facts.RemoveAt(facts.Count - (dropped == 0 ? 1 : 2));
            dropped++;
            if (dropped == 1)
            {
                facts.Add(new JsonObject { ["title"] = "…", ["value"] = "" });
            }

            facts[^1]!["value"] = $"and {dropped} more";
        }

        return message;
    }

    public static int Size(JsonObject message) => Encoding.UTF8.GetByteCount(message.ToJsonString());

    /// <summary>The longest text of the body: a TextBlock's text or a fact's value.</summary>
    private static (JsonObject Owner, string Property)? LongestText(JsonArray body) => body.OfType<JsonObject>()
        .SelectMany(block => (string?)block["type"] == "FactSet"
            ? block["facts"]!.AsArray().OfType<JsonObject>().Select(f => (Owner: f, Property: "value"))
            : [(Owner: block, Property: "text")])
        .Where(t => t.Owner[t.Property] is JsonValue)
        .OrderByDescending(t => ((string?)t.Owner[t.Property])?.Length ?? 0)
        .Select(t => ((JsonObject, string)?)t)
        .FirstOrDefault();
}
