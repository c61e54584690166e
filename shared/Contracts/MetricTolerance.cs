namespace ContextPush.Contracts;

/// <summary>
/// How far a metric must move to count as a change, as its push defines it. Carried on
/// <see cref="DeltaDetected"/> so Throttler can tell whether a reviewed value has changed again.
/// </summary>
/// <param name="Absolute">The smallest absolute move that counts.</param>
/// <param name="Relative">The smallest move relative to the earlier value (0.1 = 10%).</param>
public sealed record MetricTolerance(decimal? Absolute, decimal? Relative);
