using ContextPush.Contracts;

namespace ContextPush.Detector.Detection;

/// <summary>One row of the set-based diff, streamed from PostgreSQL.</summary>
public sealed record DetectedRow(
    string Key, DeltaKind Kind, IReadOnlyDictionary<string, decimal?> Metrics, IReadOnlyDictionary<string, decimal?> PreviousMetrics);
