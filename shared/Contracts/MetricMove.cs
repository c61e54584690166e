namespace ContextPush.Contracts;

/// <summary>
/// One metric of a delivered change: its value when last notified, its value now, and the push's
/// tolerance it moved beyond (or not). Adoption weighs which moves people act on.
/// </summary>
public sealed record MetricMove(string Metric, decimal? Previous, decimal? Current, MetricTolerance? Tolerance)
{
    /// <summary>Whether this metric alone made it a change, by the Detector's rule: in or out of null, or beyond a tolerance (any move without one).</summary>
    public bool Moved => (Previous is null) != (Current is null)
        || (Previous is { } before && Current is { } now && Tolerance switch
        {
            null or { Absolute: null, Relative: null } => now != before,
            var t => (t.Absolute is { } a && Math.Abs(now - before) > a) || (t.Relative is { } r && Math.Abs(now - before) > r * Math.Abs(before)),
        });

    /// <summary>Every metric of a changed delta, for <see cref="Delivered.Moves"/>.</summary>
    public static IReadOnlyList<MetricMove> Of(DeltaDetected delta) =>
        [.. delta.Metrics.Select(m => new MetricMove(m.Key, delta.PreviousMetrics.GetValueOrDefault(m.Key), m.Value, delta.Tolerances?.GetValueOrDefault(m.Key)))];
}
