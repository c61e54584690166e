namespace ContextPush.Callbacks.Explain;

// The parts of the other services' answers the explanation reads: their APIs, never their tables.

public sealed record DetectorStory(
    bool? InCohortNow, string? LiveError, DateTimeOffset? NotifiedAt, List<DetectorMetric> Metrics, string Verdict, List<DetectorDay> Days)
{
    public List<DetectorRun> Runs { get; init; } = [];
}

public sealed record DetectorRun(Guid RunId, DateTimeOffset StartedAt, string Status, long RowsRead, long DeltasEmitted, bool? InCohort);

public sealed record DetectorMetric(string Metric, decimal? Now, decimal? Notified, decimal? Tolerance, decimal? RelativeTolerance, bool? Moved, string Verdict);

public sealed record DetectorDay(DateOnly Day, bool InCohort, Dictionary<string, decimal?>? Metrics);

public sealed record ThrottlerDecision(
    Guid DeltaId, bool Approved, string Reason, string Detail, DateTimeOffset DecidedAt, Dictionary<string, decimal?>? Metrics,
    Dictionary<string, string>? Numbers);

public sealed record DispatcherDelivery(
    Guid DeltaId, string Status, string? Channel, string? Destination, string? Error, DateTimeOffset? DeliveredAt, DateTimeOffset? FailedAt,
    DateTimeOffset? NextAttemptAt);
