using System.Text.Json;
using ContextPush.Contracts;

namespace ContextPush.Callbacks.Slack;

/// <summary>The parts of a <c>block_actions</c> payload we act on.</summary>
public sealed record SlackInteraction(string Type, string UserId, string? UserName, string? MessageTs, IReadOnlyList<(string ActionId, string? Value)> Actions)
{
    /// <summary>Parses the <c>payload</c> form field; throws <see cref="JsonException"/> or <see cref="FormatException"/> when malformed.</summary>
    public static SlackInteraction Parse(string payload)
    {
        using var document = JsonDocument.Parse(payload);
        var root = document.RootElement;
        var type = root.GetProperty("type").GetString() ?? throw new FormatException("payload.type is missing");
        if (type != "block_actions")
        {
            return new SlackInteraction(type, "", null, null, []);
        }

        var user = root.GetProperty("user");
        var userId = user.GetProperty("id").GetString() ?? throw new FormatException("payload.user.id is missing");
        string? userName = user.TryGetProperty("username", out var u) ? u.GetString()
            : user.TryGetProperty("name", out var n) ? n.GetString() : null;
        string? ts = root.TryGetProperty("container", out var c) && c.TryGetProperty("message_ts", out var t) ? t.GetString()
            : root.TryGetProperty("message", out var m) && m.TryGetProperty("ts", out var mt) ? mt.GetString() : null;
        var actions = root.GetProperty("actions").EnumerateArray()
            .Select(a => (a.GetProperty("action_id").GetString() ?? "", a.TryGetProperty("value", out var v) ? v.GetString() : null))
            .ToList();
        return new SlackInteraction(type, userId, userName, ts, actions);
    }

    public static CardButtonValue ParseValue(string? value) =>
        (value is null ? null : JsonSerializer.Deserialize<CardButtonValue>(value))
        ?? throw new FormatException("the button value does not identify a card");
}
