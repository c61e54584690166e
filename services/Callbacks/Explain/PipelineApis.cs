using Refit;

namespace ContextPush.Callbacks.Explain;

/// <summary>The Detector's own account story (GET /pushes/{id}/accounts/{account}).</summary>
public interface IDetectorStoryApi
{
    [Get("/pushes/{push}/accounts/{account}")]
    Task<DetectorStory> StoryAsync(string push, string account, CancellationToken ct);
}

/// <summary>The Throttler's decisions on one account's deltas, newest first.</summary>
public interface IThrottlerDecisionsApi
{
    [Get("/decisions")]
    Task<List<ThrottlerDecision>> DecisionsAsync(string push, string account, int limit, CancellationToken ct);
}

/// <summary>The Dispatcher's deliveries of one account's cards, newest first.</summary>
public interface IDispatcherDeliveriesApi
{
    [Get("/deliveries")]
    Task<List<DispatcherDelivery>> DeliveriesAsync(string push, string account, int limit, CancellationToken ct);
}
