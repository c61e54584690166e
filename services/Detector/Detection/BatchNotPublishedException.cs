namespace ContextPush.Detector.Detection;

/// <summary>
/// A batch of deltas the broker did not take: not confirmed in time, or refused while it was away. Transient:
/// the run's attempt is tried again, and the same DeltaIds are published again for the stages to absorb.
/// </summary>
public sealed class BatchNotPublishedException(string message, Exception? inner = null) : TimeoutException(message, inner);
