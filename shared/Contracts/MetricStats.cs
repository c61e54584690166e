namespace ContextPush.Contracts;

/// <summary>A metric's distribution over a set of values (a cohort in one run, or an account's history).</summary>
/// <param name="Mean">The arithmetic mean.</param>
/// <param name="StdDev">The sample standard deviation; null for fewer than two values.</param>
/// <param name="Count">How many non-null values.</param>
public sealed record MetricStats(decimal Mean, decimal? StdDev, long Count);
