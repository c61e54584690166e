using System.Globalization;
using StackExchange.Redis;

namespace ContextPush.Throttler.Throttling;

/// <summary>
/// "At most N cards per owner per day": each approved delta takes a place in the owner's day, in
/// order, atomically in Redis; a redelivered delta keeps the place it had.
/// </summary>
public sealed class OwnerBudget(IConnectionMultiplexer redis)
{
    private static readonly LuaScript Take = LuaScript.Prepare("""
        local place = redis.call('ZSCORE', @key, @delta)
        if not place then
            place = redis.call('ZCARD', @key) + 1
            redis.call('ZADD', @key, place, @delta)
            redis.call('PEXPIRE', @key, 172800000)
        end
        return tonumber(place)
        """);

    /// <summary>The delta's place (1-based) among the owner's cards of that day.</summary>
    public async Task<long> PlaceAsync(string pushId, string owner, DateOnly day, Guid deltaId)
    {
        return (long)await redis.GetDatabase().ScriptEvaluateAsync(Take, new
        {
            key = (RedisKey)$"throttler:budget:{pushId}:{owner}:{day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}",
            delta = deltaId.ToString("N"),
        });
    }
}
