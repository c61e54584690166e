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
public sealed class DeltaClaims(IConnectionMultiplexer redis, IOptions<IdempotencyOptions> options, ILogger<DeltaClaims> logger)
{
    private const string Done = "done";

    private TimeSpan Lease => options.Value.Lease;

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

    /// <summary>
    /// Runs <paramref name="work"/> (which ends with the stage's publish) once per DeltaId: false when the
    /// stage had already done it; <see cref="DeltaInFlightException"/> when another consumer is doing it now.
    /// </summary>
    public async Task<bool> RunOnceAsync(string stage, Guid deltaId, TimeSpan retention, Func<CancellationToken, Task> work, CancellationToken ct)
    {
        var token = Guid.NewGuid().ToString("N");
        switch (await TryClaimAsync(stage, deltaId, token))
        {
            case ClaimOutcome.AlreadyDone:
                return false;
            case ClaimOutcome.InFlight:
                throw new DeltaInFlightException(stage, deltaId);
        }

        try
        {
            await using (var heartbeat = ClaimHeartbeat.Start(Lease, _ => RenewAsync(stage, deltaId, token), logger, $"{stage} delta {deltaId}"))
            {
                using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, heartbeat.Lost);
                await work(linked.Token);
            }
        }
        catch
        {
            // Not handled here: released so the retry (or another copy) can do the work, then rethrown.
            await ReleaseAsync(stage, deltaId, token);
            throw;
        }

        await CompleteAsync(stage, deltaId, retention);
        return true;
    }

    /// <summary>Claims <paramref name="deltaId"/> for <paramref name="stage"/>; <paramref name="token"/> identifies this attempt.</summary>
    public async Task<ClaimOutcome> TryClaimAsync(string stage, Guid deltaId, string token)
    {
        return (long)await redis.GetDatabase().ScriptEvaluateAsync(Claim, new { key = Key(stage, deltaId), token, leaseMs = (long)Lease.TotalMilliseconds }) switch
        {
            0 => ClaimOutcome.Claimed,
            1 => ClaimOutcome.AlreadyDone,
            _ => ClaimOutcome.InFlight,
        };
    }

    /// <summary>Extends the lease if the claim is still this attempt's.</summary>
    public async Task<bool> RenewAsync(string stage, Guid deltaId, string token) =>
        (long)await redis.GetDatabase().ScriptEvaluateAsync(Renew, new { key = Key(stage, deltaId), token, leaseMs = (long)Lease.TotalMilliseconds }) == 1;

    public Task CompleteAsync(string stage, Guid deltaId, TimeSpan retention) =>
        redis.GetDatabase().StringSetAsync(Key(stage, deltaId), Done, retention);

    /// <summary>Gives the claim back (only if still ours) so a retry or another copy can do the work.</summary>
    public Task ReleaseAsync(string stage, Guid deltaId, string token) =>
        redis.GetDatabase().ScriptEvaluateAsync(Release, new { key = Key(stage, deltaId), token });

    private static RedisKey Key(string stage, Guid deltaId) => $"{stage}:delta:{deltaId:N}";
}
