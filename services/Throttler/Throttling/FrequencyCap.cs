using StackExchange.Redis;

namespace ContextPush.Throttler.Throttling;

/// <summary>
/// "At most once every X per account and topic, counted from the last approval", as one atomic
/// check-and-claim in Redis, so two Throttler replicas racing on the same key approve exactly once.
/// The key holds the approval's time (from our clock, so tests can move it) and the DeltaId that won
/// it, which makes a redelivery of that same delta find its own claim and stay approved.
/// </summary>
public sealed class FrequencyCap(IConnectionMultiplexer redis, TimeProvider clock)
{
    // The key's TTL only cleans up; the window itself is decided from the stored approval time.
    private static readonly LuaScript Claim = LuaScript.Prepare("""
        local held = redis.call('GET', @key)
        if held then
            local separator = string.find(held, ':', 1, true)
            local approvedAt = tonumber(string.sub(held, 1, separator - 1))
            if string.sub(held, separator + 1) == @delta then
                return -1
            end
            local now = tonumber(@nowMs)
            local window = tonumber(@windowMs)
            if now - approvedAt < window then
                return approvedAt + window - now
            end
        end
        redis.call('SET', @key, @nowMs .. ':' .. @delta, 'PX', tonumber(@windowMs) + 86400000)
        return -1
        """);

    /// <summary>Null when the delta may go now (and the window starts now), else how long the cap still holds.</summary>
    public async Task<TimeSpan?> TryClaimAsync(string topic, string accountKey, Guid deltaId, TimeSpan window)
    {
        var result = (long)await redis.GetDatabase().ScriptEvaluateAsync(Claim, new
        {
            key = (RedisKey)$"throttler:cap:{topic}:{accountKey}",
            delta = deltaId.ToString("N"),
            nowMs = clock.GetUtcNow().ToUnixTimeMilliseconds(),
            windowMs = (long)window.TotalMilliseconds,
        });
        return result < 0 ? null : TimeSpan.FromMilliseconds(result);
    }
}
