using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace ContextPush.Assembler.Idempotency;

/// <summary>
/// Remembers which DeltaIds were assembled and published. Marked only after the publish was
/// confirmed: a crash in between means one duplicate ContextAssembled, which the Throttler absorbs,
/// never a lost one.
/// </summary>
public sealed class ProcessedDeltas(IConnectionMultiplexer redis, IOptions<AssemblerOptions> options)
{
    public async Task<bool> IsProcessedAsync(Guid deltaId) => await redis.GetDatabase().KeyExistsAsync(Key(deltaId));

    public Task MarkProcessedAsync(Guid deltaId) =>
        redis.GetDatabase().StringSetAsync(Key(deltaId), 1, options.Value.ProcessedRetention);

    private static RedisKey Key(Guid deltaId) => $"assembler:processed:{deltaId:N}";
}
