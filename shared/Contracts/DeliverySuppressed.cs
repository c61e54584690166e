namespace ContextPush.Contracts;

/// <summary>
/// Published by Throttler when a delta is held back, with the rule and the numbers behind it.
/// Consumed by Callbacks (adoption figures: suppressed by reason); kept for "why didn't I get this alert?".
/// </summary>
public sealed record DeliverySuppressed
{
    /// <summary>Shared by every message of one delta's chain; created once by Detector.</summary>
    public required Guid CorrelationId { get; init; }

    /// <summary>The deterministic id of the delta (see <see cref="DeltaDetected.DeltaId"/>); every stage is idempotent on it.</summary>
    public required Guid DeltaId { get; init; }

    /// <summary>The push (its file's id) that detected the delta.</summary>
    public required string PushId { get; init; }

    /// <summary>The cohort row's key, the key columns' values joined with '|'.</summary>
    public required string AccountKey { get; init; }

    /// <summary>A stable reason code: "frequency-cap", "resolution-without-card", ...</summary>
    public required string Reason { get; init; }

    /// <summary>The reason for a person: "frequency cap until 2026-12-01T10:00:00Z".</summary>
    public required string Detail { get; init; }

    /// <summary>When Throttler decided.</summary>
    public required DateTimeOffset DecidedAt { get; init; }

    /// <summary>The account owner (<see cref="AccountOwner.Identity"/>) when the Assembler found one: adoption figures per owner. Absent from older publishers.</summary>
    public string? Owner { get; init; }
}
