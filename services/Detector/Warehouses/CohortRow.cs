namespace ContextPush.Detector.Warehouses;

/// <summary>One row of a push's cohort as a warehouse gives it: the key joined into text, the metrics in the push's order.</summary>
public readonly record struct CohortRow(string Key, decimal?[] Metrics);
