namespace ContextPush.PushFiles;

/// <summary>
/// A watched metric column and how far it must move to count as a change: more than
/// <see cref="Tolerance"/> in absolute terms or more than <see cref="RelativeTolerance"/> of the last
/// notified value; with neither, any move counts.
/// </summary>
public sealed record MetricDefinition(string Name, decimal? Tolerance, decimal? RelativeTolerance = null, Contracts.MetricFormat? Format = null);
