using ContextPush.Callbacks.Actions;

namespace ContextPush.Callbacks.Explain;

/// <summary>One account's story in one push, in sentences (<see cref="Story"/>) and in the owning services' own figures.</summary>
public sealed record Explanation(
    string Push,
    string Account,
    IReadOnlyList<string> Story,
    DetectorStory? Detector,
    IReadOnlyList<ExplainedDelta> Deltas,
    IReadOnlyDictionary<string, string> Unavailable);

/// <summary>A delta as the Throttler decided it, the Dispatcher delivered it, and people acted on it.</summary>
public sealed record ExplainedDelta(Guid DeltaId, ThrottlerDecision Decision, DispatcherDelivery? Delivery, IReadOnlyList<ActionListing> Actions);
