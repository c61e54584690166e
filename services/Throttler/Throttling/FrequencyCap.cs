using StackExchange.Redis;

namespace ContextPush.Throttler.Throttling;

/// <summary>
/// "At most once every X per account and topic", as one atomic check-and-claim in Redis, so two
/// Throttler replicas racing on the same key approve exactly once. The claim holds the DeltaId that
/// won it, which makes a redelivery of that same delta find its own claim and stay approved.
/// </summary>
public sealed class FrequencyCap(IConnectionMultiplexer redis)
{
    private static readonly LuaScript Claim = LuaScript.Prepare("""
        local holder = redis.call('GET', @key)
        if not holder then
            redis.call('SET', @key, @delta, 'PX', @windowMs)
            return -1
        end
        if holder == @delta then
            return -1
        end
        return redis.call('PTTL', @key)
        """);

    /// <summary>Null when the delta may go now, else how long the cap still holds.</summary>
    public async Task<TimeSpan?> TryClaimAsync(string topic, string accountKey, Guid deltaId, TimeSpan window)
    {
        var result = (long)await redis.GetDatabase().ScriptEvaluateAsync(Claim, new
        {
            key = (RedisKey)$"throttler:cap:{topic}:{accountKey}",
            delta = deltaId.ToString("N"),
            windowMs = (long)window.TotalMilliseconds,
        });
        return result < 0 ? null : TimeSpan.FromMilliseconds(result);
    }
}
