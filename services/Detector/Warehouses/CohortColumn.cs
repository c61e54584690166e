namespace ContextPush.Detector.Warehouses;

/// <summary>A column the cohort query returns, with the engine's own type name and whether it reads as a number.</summary>
public readonly record struct CohortColumn(string Name, string Type, bool IsNumeric);
