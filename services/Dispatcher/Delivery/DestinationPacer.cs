using System.Collections.Concurrent;
using System.Threading.RateLimiting;

namespace ContextPush.Dispatcher.Delivery;

/// <summary>
/// A token bucket per destination (a Slack channel, a Teams webhook), so a burst to one destination
/// goes out at the platform's pace, waiting rather than being refused, while other destinations go
/// on at theirs.
/// </summary>
public sealed class DestinationPacer : IDisposable
{
    private readonly ConcurrentDictionary<string, TokenBucketRateLimiter> _buckets = new();

    public async ValueTask WaitTurnAsync(string channel, string destination, double perSecond, CancellationToken ct)
    {
        var bucket = _buckets.GetOrAdd($"{channel}:{destination}", _ => new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
        {
            TokenLimit = 1,
            TokensPerPeriod = 1,
            ReplenishmentPeriod = TimeSpan.FromSeconds(1 / perSecond),
            QueueLimit = int.MaxValue,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
            AutoReplenishment = true,
        }));
        using var lease = await bucket.AcquireAsync(1, ct);
    }

    public void Dispose()
    {
        foreach (var bucket in _buckets.Values)
        {
            bucket.Dispose();
        }
    }
}
