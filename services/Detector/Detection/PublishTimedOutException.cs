namespace ContextPush.Detector.Detection;

/// <summary>A batch of deltas the broker did not confirm in time; the run's attempt is tried again.</summary>
public sealed class PublishTimedOutException(string message) : TimeoutException(message);
