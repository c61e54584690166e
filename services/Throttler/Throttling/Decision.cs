namespace ContextPush.Throttler.Throttling;

/// <summary>Approved or suppressed, why, and the numbers behind it; one row per DeltaId.</summary>
public sealed record Decision(
    Guid DeltaId, Guid CorrelationId, string PushId, string AccountKey, string Topic,
    bool Approved, string Reason, string Detail, DateTimeOffset DecidedAt);
