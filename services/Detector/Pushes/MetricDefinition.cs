namespace ContextPush.Detector.Pushes;

/// <summary>A watched metric column and how far it must move to count as a change.</summary>
public sealed record MetricDefinition(string Name, decimal Tolerance);
