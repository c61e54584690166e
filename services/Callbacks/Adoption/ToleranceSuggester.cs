using ContextPush.Contracts;

namespace ContextPush.Callbacks.Adoption;

/// <summary>
/// The other knob beside the priority threshold: a metric's tolerance. A change is dropped by a larger
/// tolerance on metric m only when m alone made it a change (every other metric stayed within its
/// tolerance), so only those changes are weighed. The suggestion is the largest round value under the
/// smallest move on m that people acted on, absolute or relative, whichever drops more of the ignored.
/// </summary>
public static class ToleranceSuggester
{
    public static ToleranceSuggestion? Suggest(IReadOnlyList<IReadOnlyList<MetricMove>> actedOn, IReadOnlyList<IReadOnlyList<MetricMove>> ignored)
    {
        if (ignored.Count == 0)
        {
            return null;
        }

        var metrics = actedOn.Concat(ignored).SelectMany(c => c).Select(m => m.Metric).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
        ToleranceSuggestion? best = null;
        foreach (var metric in metrics)
        {
            foreach (var (field, size) in new (string, Func<MetricMove, decimal?>)[] { ("tolerance", Absolute), ("relative_tolerance", Relative) })
            {
                var kept = SoleMoves(actedOn, metric, size);
                var droppable = SoleMoves(ignored, metric, size);
                if (droppable.Count == 0 || (kept.Count > 0 ? RoundBelow(kept.Min()) : RoundUp(droppable.Max())) is not { } value)
                {
                    continue;
                }

                var dropped = droppable.Count(v => v <= value);
                if (dropped > 0 && dropped > (best?.Dropped ?? 0))
                {
                    best = new ToleranceSuggestion(metric, field, value, kept.Count, dropped, ignored.Count);
                }
            }
        }

        return best is { } b && b.Dropped * 2 >= b.Ignored ? b : null;
    }

    /// <summary>The sizes of the moves on <paramref name="metric"/> of the changes it alone made.</summary>
    private static List<decimal> SoleMoves(IEnumerable<IReadOnlyList<MetricMove>> changes, string metric, Func<MetricMove, decimal?> size) =>
    [
        .. changes
            .Where(c => c.All(m => m.Metric == metric || !m.Moved))
            .Select(c => c.FirstOrDefault(m => m.Metric == metric) is { } move ? size(move) : null)
            .OfType<decimal>(),
    ];

    private static decimal? Absolute(MetricMove move) => move is { Previous: { } before, Current: { } now } ? Math.Abs(now - before) : null;

    private static decimal? Relative(MetricMove move) => move is { Previous: { } before and not 0, Current: { } now } ? Math.Abs(now - before) / Math.Abs(before) : null;

    /// <summary>Two significant digits, strictly under the value, since a move counts when it is more than the tolerance.</summary>
    public static decimal? RoundBelow(decimal value)
    {
        if (value <= 0)
        {
            return null;
        }

        var unit = Unit(value);
        var rounded = Math.Floor(value / unit) * unit;
        rounded = rounded >= value ? rounded - unit : rounded;
        return rounded > 0 ? rounded : null;
    }

    /// <summary>Two significant digits, at or over the value.</summary>
    public static decimal? RoundUp(decimal value) => value <= 0 ? null : Math.Ceiling(value / Unit(value)) * Unit(value);

    private static decimal Unit(decimal value) => (decimal)Math.Pow(10, Math.Floor(Math.Log10((double)value)) - 1);
}
