using System.Collections.Concurrent;
using System.Threading.RateLimiting;

namespace ContextPush.Dispatcher.Delivery;

/// <summary>
/// A token bucket per destination in this process: the pace while the shared one in Redis cannot be
/// reached. Each replica then keeps the pace on its own, so N replicas may briefly send N times it;
/// the platform's 429 and Retry-After absorb that.
/// </summary>
public sealed class LocalPacer : IDisposable
{
    private readonly ConcurrentDictionary<string, TokenBucketRateLimiter> _buckets = new();

    public async ValueTask WaitTurnAsync(string key, double perSecond, CancellationToken ct)
    {
        var bucket = _buckets.GetOrAdd(key, _ => new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
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
