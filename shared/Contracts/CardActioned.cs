namespace ContextPush.Contracts;

/// <summary>
/// Published by Callbacks when a genuine click on a card was recorded. Consumed by Throttler
/// (suppression) and Dispatcher (card update).
/// </summary>
public sealed record CardActioned
{
    /// <summary>The delivery chain's correlation id when the card carried it, else a new one.</summary>
    public required Guid CorrelationId { get; init; }

    /// <summary>The deterministic id of the delta (see <see cref="DeltaDetected.DeltaId"/>); every stage is idempotent on it.</summary>
    public required Guid DeltaId { get; init; }

    /// <summary>The push (its file's id) that detected the delta.</summary>
    public required string PushId { get; init; }

    /// <summary>The cohort row's key, the key columns' values joined with '|'.</summary>
    public required string AccountKey { get; init; }

    /// <summary>What the person did.</summary>
    public required CardAction Action { get; init; }

    /// <summary>The platform's id of the person (Slack user id, email address).</summary>
    public required string ActorId { get; init; }

    /// <summary>The person's display name, when the platform sent it.</summary>
    public string? ActorName { get; init; }

    /// <summary>For <see cref="CardAction.Snoozed"/>: how many days.</summary>
    public int? SnoozeDays { get; init; }

    /// <summary>When the click was received.</summary>
    public required DateTimeOffset ActedAt { get; init; }

    /// <summary>"slack", "teams" or "email".</summary>
    public required string Channel { get; init; }

    /// <summary>The card's message id (Slack <c>ts</c>) when the platform sent it.</summary>
    public string? MessageId { get; init; }

    /// <summary>How long after the card was sent the person acted, when known.</summary>
    public TimeSpan? TimeToAction { get; init; }
}
