namespace ContextPush.Contracts;

/// <summary>
/// Published by Dispatcher once one delta's card was accepted by its channel (a digest announces
/// <see cref="DigestDelivered"/> instead). Consumed by Callbacks (adoption figures) and by Throttler: a resolution passes only for an
/// account with a card out there.
/// </summary>
public sealed record Delivered
{
    /// <summary>Shared by every message of one delta's chain; created once by Detector.</summary>
    public required Guid CorrelationId { get; init; }

    /// <summary>The deterministic id of the delta (see <see cref="DeltaDetected.DeltaId"/>); every stage is idempotent on it.</summary>
    public required Guid DeltaId { get; init; }

    /// <summary>The push (its file's id) that detected the delta.</summary>
    public required string PushId { get; init; }

    /// <summary>The cohort row's key, the key columns' values joined with '|'.</summary>
    public required string AccountKey { get; init; }

    /// <summary>"slack", "teams", "email" or "console".</summary>
    public required string Channel { get; init; }

    /// <summary>The channel id, user id, webhook name or address the card went to.</summary>
    public required string Destination { get; init; }

    /// <summary>The platform's message id (Slack's <c>ts</c>), used to update the card later.</summary>
    public required string MessageId { get; init; }

    /// <summary>When the channel accepted the card.</summary>
    public required DateTimeOffset DeliveredAt { get; init; }

    /// <summary>The account owner (<see cref="AccountOwner.Identity"/>) when the Assembler found one: adoption figures per owner. Absent from older publishers.</summary>
    public string? Owner { get; init; }

    /// <summary>The delta's kind: a card for Entered or Changed, the resolution of an earlier card for Left. Absent from older publishers.</summary>
    public DeltaKind? Kind { get; init; }

    /// <summary>The z-score it was approved with (<see cref="DeliveryApproved.PriorityScore"/>), when it had one.</summary>
    public double? PriorityScore { get; init; }

    /// <summary>For a change, each metric's move and tolerance: adoption suggests tolerances from the moves people act on.</summary>
    public IReadOnlyList<MetricMove>? Moves { get; init; }
}
