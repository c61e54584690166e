namespace ContextPush.Throttler.Throttling;

/// <summary>Approved or suppressed, why, and the numbers behind it; one row per DeltaId.</summary>
public sealed record Decision(
    Guid DeltaId, Guid CorrelationId, string PushId, string AccountKey, string Topic,
    bool Approved, string Reason, string Detail, DateTimeOffset DecidedAt)
{
    /// <summary>The delta's metric values, so a later "Mark as reviewed" knows what was reviewed.</summary>
    public IReadOnlyDictionary<string, decimal?> Metrics { get; init; } = new Dictionary<string, decimal?>();

    /// <summary>The figures the rule used: "cap_until", "window_days", "reviewed_by", "snoozed_until"…</summary>
    public IReadOnlyDictionary<string, string> Numbers { get; init; } = new Dictionary<string, string>();
}
