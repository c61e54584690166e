using StackExchange.Redis;

namespace ContextPush.Dispatcher.Delivery;

/// <summary>
/// The pace per destination (a Slack channel, a Teams webhook) shared by every Dispatcher replica:
/// GCRA in Redis, where each send reserves the next free slot (its theoretical arrival time) in one
/// atomic script on Redis' clock, and waits for it. A burst to one destination goes out at the
/// platform's pace, however many replicas take part, waiting rather than refused, while other
/// destinations go on at theirs. While Redis cannot be reached, each replica paces on its own.
/// </summary>
public sealed class DestinationPacer(IConnectionMultiplexer redis, LocalPacer local, TimeProvider clock, ILogger<DestinationPacer> logger)
{
    /// <summary>Answers the microseconds to wait for the reserved slot; the key lives as long as the reservations it holds.</summary>
    private static readonly LuaScript Reserve = LuaScript.Prepare("""
        local time = redis.call('TIME')
        local now = tonumber(time[1]) * 1000000 + tonumber(time[2])
        local slot = math.max(tonumber(redis.call('GET', @key) or '0'), now)
        local next = slot + tonumber(@interval)
        redis.call('SET', @key, string.format('%.0f', next), 'PX', math.ceil((next - now) / 1000) + 1000)
        return string.format('%.0f', slot - now)
        """);

    /// <summary>Moves the next free slot to at least <c>pause</c> from now (on Redis' clock), never earlier than it was.</summary>
    private static readonly LuaScript Hold = LuaScript.Prepare("""
        local time = redis.call('TIME')
        local now = tonumber(time[1]) * 1000000 + tonumber(time[2])
        local resume = now + tonumber(@pause)
        if resume > tonumber(redis.call('GET', @key) or '0') then
          redis.call('SET', @key, string.format('%.0f', resume), 'PX', math.ceil(tonumber(@pause) / 1000) + 1000)
        end
        return 1
        """);

    /// <summary>While Redis was just found unreachable, it is not waited for on every send.</summary>
    private static readonly TimeSpan RetryRedisAfter = TimeSpan.FromSeconds(5);

    private long _redisRetryAt;

    /// <summary>
    /// Holds every replica's sends to a destination for a while, as when a platform's own counters say its
    /// window is used up. Without Redis the hold is skipped: the platform's 429 then does the holding.
    /// </summary>
    public async Task HoldAsync(string channel, string destination, TimeSpan pause)
    {
        try
        {
            await redis.GetDatabase().ScriptEvaluateAsync(Hold, new { key = (RedisKey)$"contextpush:pace:{channel}:{destination}", pause = (long)pause.TotalMicroseconds });
        }
        catch (Exception e) when (e is RedisConnectionException or RedisTimeoutException)
        {
            logger.LogDebug("The shared pace in Redis cannot be reached; {Channel} is not held", channel);
        }
    }

    public async ValueTask WaitTurnAsync(string channel, string destination, double perSecond, CancellationToken ct)
    {
        var key = $"contextpush:pace:{channel}:{destination}";
        if (clock.GetUtcNow().UtcTicks < Interlocked.Read(ref _redisRetryAt))
        {
            await local.WaitTurnAsync(key, perSecond, ct);
            return;
        }

        TimeSpan wait;
        try
        {
            var interval = (long)Math.Ceiling(1_000_000 / perSecond);
            var answer = await redis.GetDatabase().ScriptEvaluateAsync(Reserve, new { key = (RedisKey)key, interval });
            wait = TimeSpan.FromMicroseconds(long.Parse((string)answer!, System.Globalization.CultureInfo.InvariantCulture));
            if (Interlocked.Exchange(ref _redisRetryAt, 0) != 0)
            {
                logger.LogInformation("The shared pace in Redis is back");
            }
        }
        catch (Exception e) when (e is RedisConnectionException or RedisTimeoutException)
        {
            if (Interlocked.Exchange(ref _redisRetryAt, (clock.GetUtcNow() + RetryRedisAfter).UtcTicks) == 0)
            {
                logger.LogWarning("The shared pace in Redis cannot be reached ({Problem}); each Dispatcher replica paces on its own until it is back", e.Message);
            }

            await local.WaitTurnAsync(key, perSecond, ct);
            return;
        }

        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait, clock, ct);
        }
    }
}
