using System.Globalization;
using ContextPush.Contracts;
using ContextPush.PushFiles;

namespace ContextPush.Throttler.Throttling;

/// <summary>
/// Approves only what is unusual: a metric's z-score against the account's own history (mode
/// history) or against the whole cohort in the same run (mode peers) must exceed the threshold in
/// the push's direction. Any watched metric (or the one the push names) may carry the delta.
/// </summary>
public sealed class PriorityRule
{
    public sealed record Outcome(bool Pass, string Reason, string Detail, IReadOnlyList<(string Key, string Value)> Numbers);

    public Outcome Evaluate(DeltaDetected delta)
    {
        var settings = PushSettingsReader.Of(delta).Throttle.Priority;
        if (settings.Mode == "off")
        {
            return new Outcome(true, "priority-off", "no priority rule", []);
        }

        var candidates = delta.Metrics.Where(m => m.Value is not null && (settings.Metric is null || m.Key == settings.Metric)).ToList();
        // Both measured by the Detector: the cohort in the same run, or the account's history before the delta's day.
        var known = settings.Mode == "peers" ? delta.CohortStats : delta.History;
        (string Metric, double Z, MetricStats Stats)? best = null;
        var shortest = long.MaxValue;
        foreach (var (metric, value) in candidates)
        {
            var stats = known?.GetValueOrDefault(metric) ?? new MetricStats(0, null, 0);
            shortest = Math.Min(shortest, stats.Count);
            if (stats.Count < settings.MinObservations || ZScore.Of(value!.Value, stats) is not { } z)
            {
                continue;
            }

            if (best is null || Math.Abs(z) > Math.Abs(best.Value.Z))
            {
                best = (metric, z, stats);
            }

            if (ZScore.Exceeds(z, settings.Threshold, settings.Direction))
            {
                return new Outcome(true, "priority", $"{metric} z-score {Format(z)} beyond {Format(settings.Threshold)} ({settings.Mode})", Numbers(metric, z, stats, settings));
            }
        }

        if (best is { } b)
        {
            return new Outcome(false, "priority", $"{b.Metric} z-score {Format(b.Z)} below {Format(settings.Threshold)} ({settings.Mode})", Numbers(b.Metric, b.Z, b.Stats, settings));
        }

        // Too little history to judge: the push decides whether that passes (the default) or holds.
        var observed = shortest == long.MaxValue ? 0 : shortest;
        var detail = $"{observed} observation(s), fewer than the {settings.MinObservations} needed ({settings.Mode})";
        return new Outcome(!settings.HoldShortHistory, "short-history", detail,
            [("observations", observed.ToString(CultureInfo.InvariantCulture)), ("min_observations", settings.MinObservations.ToString(CultureInfo.InvariantCulture))]);
    }

    private static List<(string Key, string Value)> Numbers(string metric, double z, MetricStats stats, PrioritySettings settings) =>
    [
        ("metric", metric), ("z", Format(z)), ("threshold", Format(settings.Threshold)), ("direction", settings.Direction),
        ("mean", stats.Mean.ToString(CultureInfo.InvariantCulture)), ("stddev", stats.StdDev?.ToString(CultureInfo.InvariantCulture) ?? ""),
        ("observations", stats.Count.ToString(CultureInfo.InvariantCulture)), ("mode", settings.Mode),
    ];

    private static string Format(double value) => double.IsInfinity(value) ? (value > 0 ? "+inf" : "-inf") : value.ToString("0.##", CultureInfo.InvariantCulture);
}
