using ContextPush.Contracts;

namespace ContextPush.Callbacks.Actions;

/// <summary>A click on a card as it is stored: who did what to which delta's card, and when.</summary>
public sealed record RecordedAction(
    CardButtonValue Card, CardAction Action, string ActorId, string? ActorName, string Channel, string? MessageId, DateTimeOffset ActedAt,
    int? SnoozeDays = null)
{
    /// <summary>From the card's send time, when the card carried it.</summary>
    public TimeSpan? TimeToAction => Card.SentAt is { } sent ? ActedAt - DateTimeOffset.FromUnixTimeSeconds(sent) : null;
}
