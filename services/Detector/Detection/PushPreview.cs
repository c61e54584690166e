using ContextPush.Contracts;

namespace ContextPush.Detector.Detection;

/// <summary>What a run would do now: whether it would only record a baseline, and its first deltas.</summary>
public sealed record PushPreview(string PushId, bool Baseline, long RowsRead, long DeltaCount, IReadOnlyList<DeltaDetected> Deltas);
