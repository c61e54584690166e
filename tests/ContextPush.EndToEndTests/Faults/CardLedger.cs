using System.Text.Json;
using System.Text.Json.Nodes;
using ContextPush.Contracts;
using ContextPush.Testing.Fakes;

namespace ContextPush.EndToEndTests.Faults;

/// <summary>The cards Slack took, by push, account and DeltaId, read from each card's own button value.</summary>
public sealed class CardLedger(FakeSlack slack)
{
    /// <summary>Every card of the push, in arrival order, with the time Slack took it.</summary>
    public IReadOnlyList<CardButtonValue> Cards(string pushId) => slack.Messages.Select(Read).Where(v => v?.PushId == pushId).ToList()!;

    /// <summary>The "Mark as reviewed" button value of each card of the push, in arrival order, as Slack sends it back on a click.</summary>
    public IReadOnlyList<string> ReviewButtons(string pushId) => slack.Messages.Select(ReviewValue).OfType<string>()
        .Where(v => JsonSerializer.Deserialize<CardButtonValue>(v)?.PushId == pushId).ToList();

    /// <summary>Cards that belong to no push of <paramref name="pushIds"/>: what nothing should have sent.</summary>
    public int Outside(IReadOnlySet<string> pushIds) => slack.Messages.Count(m => Read(m) is not { } v || !pushIds.Contains(v.PushId));

    /// <summary>When Slack took each card, oldest first.</summary>
    public IReadOnlyList<DateTimeOffset> PostedAt() => slack.PostedAt.Order().ToList();

    private static CardButtonValue? Read(JsonObject card) => ReviewValue(card) is { } value ? JsonSerializer.Deserialize<CardButtonValue>(value) : null;

    private static string? ReviewValue(JsonObject card) => card["blocks"]?.AsArray()
        .SelectMany(b => b!["elements"] is JsonArray elements ? elements : [])
        .FirstOrDefault(e => (string?)e!["action_id"] == "mark_reviewed")?["value"]?.GetValue<string>();
}
