using System.Collections.Concurrent;
using System.Text.Json;
using ContextPush.Assembler.Telemetry;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace ContextPush.Assembler.Caching;

/// <summary>
/// Owner, company and Slack-id answers in Redis with a TTL, shared by every Assembler replica. "Not
/// found" is remembered too, for less time, so an account without an owner does not cost a call per
/// delta. Concurrent misses for one key in this process share one load.
/// </summary>
public sealed class LookupCache(IConnectionMultiplexer redis, IOptions<AssemblerOptions> options, AssemblerMetrics metrics)
{
    private const string NotFound = "-";

    // Lazy, because GetOrAdd may run its factory on several threads at once and keep only one result:
    // a factory that started the load itself would call the source once per racing caller.
    private readonly ConcurrentDictionary<string, Lazy<Task<RedisValue>>> inFlight = new();

    public async Task<T?> GetOrLoadAsync<T>(string lookup, string key, Func<Task<T?>> load) where T : class
    {
        var db = redis.GetDatabase();
        var redisKey = Key(lookup, key);
        var cached = await db.StringGetAsync(redisKey);
        if (cached.HasValue)
        {
            metrics.CacheHit(lookup);
        }
        else
        {
            var loading = inFlight.GetOrAdd(redisKey, _ => new Lazy<Task<RedisValue>>(() => LoadAndStoreAsync(db, redisKey, lookup, load)));
            try
            {
                cached = await loading.Value;
            }
            finally
            {
                inFlight.TryRemove(KeyValuePair.Create(redisKey, loading));
            }
        }

        return cached == NotFound ? null : JsonSerializer.Deserialize<T>(cached.ToString());
    }

    /// <summary>Stores answers a source gave in bulk (a page of owners) so later lookups hit.</summary>
    public async Task PutManyAsync<T>(string lookup, IEnumerable<(string Key, T Value)> values)
    {
        var db = redis.GetDatabase();
        var batch = db.CreateBatch();
        var writes = values.Select(v => batch.StringSetAsync(Key(lookup, v.Key), JsonSerializer.Serialize(v.Value), options.Value.OwnerCacheTtl)).ToList();
        batch.Execute();
        await Task.WhenAll(writes);
    }

    private async Task<RedisValue> LoadAndStoreAsync<T>(IDatabase db, string redisKey, string lookup, Func<Task<T?>> load) where T : class
    {
        // A load that just finished may have stored the answer after this caller's first read.
        var stored = await db.StringGetAsync(redisKey);
        if (stored.HasValue)
        {
            metrics.CacheHit(lookup);
            return stored;
        }

        metrics.CacheMiss(lookup);
        var value = await load();
        RedisValue answer = value is null ? NotFound : JsonSerializer.Serialize(value);
        await db.StringSetAsync(redisKey, answer, value is null ? options.Value.MissCacheTtl : options.Value.OwnerCacheTtl);
        return answer;
    }

    private static string Key(string lookup, string key) => $"assembler:lookup:{lookup}:{key}";
}
