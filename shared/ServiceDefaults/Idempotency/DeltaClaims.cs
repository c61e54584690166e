using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace ContextPush.ServiceDefaults.Idempotency;

/// <summary>
/// Per-stage idempotency on DeltaId in Redis. A claim is taken atomically with a lease before the
/// work, renewed while the work runs (<see cref="ClaimHeartbeat"/>), marked done (with a long
/// retention) only after the stage's publish was confirmed, and released if the work fails. So two
/// copies of one delta never both publish, however slow the work; a crash mid-way is taken over when
/// the lease ends; and a failure is retried rather than lost.
/// </summary>
public sealed class DeltaClaims(IConnectionMultiplexer redis, IOptions<IdempotencyOptions> options, ILogger<DeltaClaims> logger) : IClaimLedger
{
    private const string Done = "done";

    private static readonly LuaScript Claim = LuaScript.Prepare("""
        local holder = redis.call('GET', @key)
        if not holder then
            redis.call('SET', @key, @token, 'PX', @leaseMs)
            return 0
        end
        if holder == 'done' then
            return 1
        end
        return 2
        """);

    private static readonly LuaScript Renew = LuaScript.Prepare("""
        if redis.call('GET', @key) == @token then
            return redis.call('PEXPIRE', @key, @leaseMs)
        end
        return 0
        """);

    private static readonly LuaScript Release = LuaScript.Prepare("""
        if redis.call('GET', @key) == @token then
            return redis.call('DEL', @key)
        end
        return 0
        """);

    public TimeSpan Lease => options.Value.Lease;

    /// <summary>
    /// Runs <paramref name="work"/> (which ends with the stage's publish) once per DeltaId, by
    /// <see cref="ClaimProtocol"/>: false when the stage had already done it.
    /// </summary>
    public async Task<bool> RunOnceAsync(string stage, Guid deltaId, TimeSpan retention, Func<CancellationToken, Task> work, CancellationToken ct)
    {
        var ticket = await TryClaimAsync(stage, deltaId);
        return await this.RunAsync(ticket, async held =>
        {
            await work(held);
            return true;
        }, _ => CompleteAsync(ticket, retention), logger, ct);
    }

    public async Task<ClaimTicket> TryClaimAsync(string stage, Guid deltaId)
    {
        var token = Guid.NewGuid().ToString("N");
        var outcome = (long)await redis.GetDatabase().ScriptEvaluateAsync(Claim, new { key = Key(stage, deltaId), token, leaseMs = (long)Lease.TotalMilliseconds }) switch
        {
            0 => ClaimOutcome.Claimed,
            1 => ClaimOutcome.AlreadyDone,
            _ => ClaimOutcome.InFlight,
        };
        return new ClaimTicket(stage, deltaId, token, outcome);
    }

    public async Task<bool> RenewAsync(ClaimTicket ticket, CancellationToken ct) =>
        (long)await redis.GetDatabase().ScriptEvaluateAsync(Renew,
            new { key = Key(ticket.Stage, ticket.WorkId), token = ticket.Token, leaseMs = (long)Lease.TotalMilliseconds }) == 1;

    /// <summary>Marks the work done, remembered for <paramref name="retention"/> so later redeliveries are ignored.</summary>
    public Task CompleteAsync(ClaimTicket ticket, TimeSpan retention) =>
        redis.GetDatabase().StringSetAsync(Key(ticket.Stage, ticket.WorkId), Done, retention);

    public Task ReleaseAsync(ClaimTicket ticket) =>
        redis.GetDatabase().ScriptEvaluateAsync(Release, new { key = Key(ticket.Stage, ticket.WorkId), token = ticket.Token });

    private static RedisKey Key(string stage, Guid deltaId) => $"{stage}:delta:{deltaId:N}";
}
