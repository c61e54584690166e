namespace ContextPush.Contracts;

/// <summary>
/// Published by Detector when a push's cohort row entered, changed beyond tolerance or left.
/// Consumed by Assembler.
/// </summary>
public sealed record DeltaDetected
{
    /// <summary>Shared by every message of this delta's chain; created once by Detector.</summary>
    public required Guid CorrelationId { get; init; }

    /// <summary>Deterministic: the same push, key, kind and values always give the same id.</summary>
    public required Guid DeltaId { get; init; }

    /// <summary>The detection run that found the delta.</summary>
    public required Guid RunId { get; init; }

    /// <summary>The push (its file's id) that detected the delta.</summary>
    public required string PushId { get; init; }

    /// <summary>The push's topic; frequency caps count per account and topic.</summary>
    public required string Topic { get; init; }

    /// <summary>The row's key, the key columns' values joined with '|'.</summary>
    public required string AccountKey { get; init; }

    /// <summary>Entered, changed or left.</summary>
    public required DeltaKind Kind { get; init; }

    /// <summary>The watched metrics now (empty for <see cref="DeltaKind.Left"/>).</summary>
    public required IReadOnlyDictionary<string, decimal?> Metrics { get; init; }

    /// <summary>The metrics when the row was last notified (empty for <see cref="DeltaKind.Entered"/>).</summary>
    public required IReadOnlyDictionary<string, decimal?> PreviousMetrics { get; init; }

    /// <summary>When the Detector's run found the delta.</summary>
    public required DateTimeOffset DetectedAt { get; init; }

    /// <summary>
    /// The push's context, throttle and delivery sections, flattened to configuration keys
    /// ("throttle:frequency", "delivery:slack:channel"). Superseded by <see cref="PushSettings"/>;
    /// still sent for one release, for consumers older than that field.
    /// </summary>
    public required IReadOnlyDictionary<string, string> Settings { get; init; }

    /// <summary>Each watched metric's tolerance; null from Detectors older than this field.</summary>
    public IReadOnlyDictionary<string, MetricTolerance>? Tolerances { get; init; }

    /// <summary>How each metric reads on a card, where its push declares a format; null from older Detectors.</summary>
    public IReadOnlyDictionary<string, MetricFormat>? MetricFormats { get; init; }

    /// <summary>Each metric's distribution across the whole cohort in this run, for the peer comparison.</summary>
    public IReadOnlyDictionary<string, MetricStats>? CohortStats { get; init; }

    /// <summary>
    /// Each metric's history for this account, from the Detector's own daily records (or the push's
    /// history query) over the priority window before the delta's day; set only for a push whose priority
    /// rule compares against history, so the Throttler needs no warehouse. Null from Detectors older than
    /// this field, which the Throttler then judges as too short a history.
    /// </summary>
    public IReadOnlyDictionary<string, MetricStats>? History { get; init; }

    /// <summary>
    /// The same sections typed, validated when the push loaded. Null only from Detectors older than
    /// this field; consumers then read <see cref="Settings"/>.
    /// </summary>
    public PushSettings? PushSettings { get; init; }
}
