namespace ContextPush.Detector.Warehouses;

/// <summary>The warehouse refused the cohort query; the message is the engine's own.</summary>
public sealed class CohortQueryException(string message, Exception? inner) : Exception(message, inner);
