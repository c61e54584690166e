using Microsoft.Extensions.Logging;

namespace ContextPush.ServiceDefaults.Idempotency;

/// <summary>
/// Keeps a claim alive while its work runs, however long that takes (a paced queue, a Retry-After,
/// a slow platform): renews it every third of the lease. If a renewal finds the claim is no longer
/// ours, or renewals keep failing for a whole lease, <see cref="Lost"/> is cancelled so the work can
/// stop before it publishes or posts what another consumer now owns.
/// </summary>
public sealed class ClaimHeartbeat : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly CancellationTokenSource _lost = new();
    private readonly Task _beating;

    private ClaimHeartbeat(TimeSpan lease, Func<CancellationToken, Task<bool>> renew, ILogger logger, string what)
    {
        _beating = BeatAsync(lease, renew, logger, what);
    }

    /// <summary>Cancelled when the claim was lost; link it with the work's own token.</summary>
    public CancellationToken Lost => _lost.Token;

    /// <summary>Starts renewing: <paramref name="renew"/> extends the claim if it is still ours (true), or answers false when another holds it now.</summary>
    public static ClaimHeartbeat Start(TimeSpan lease, Func<CancellationToken, Task<bool>> renew, ILogger logger, string what) =>
        new(lease, renew, logger, what);

    private async Task BeatAsync(TimeSpan lease, Func<CancellationToken, Task<bool>> renew, ILogger logger, string what)
    {
        var lastRenewed = DateTime.UtcNow;
        try
        {
            while (true)
            {
                // Most work ends before the first beat: ending the wait without an exception matters when
                // every delta starts and stops a heartbeat (a TaskCanceledException per delta, measured
                // with dotnet-counters under bench/ContextPush.Bench.Pipeline).
                await Task.Delay(lease / 3, _stop.Token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                if (_stop.IsCancellationRequested)
                {
                    return;
                }

                try
                {
                    if (!await renew(_stop.Token))
                    {
                        logger.LogWarning("The claim on {What} was taken over; the work stops", what);
                        await _lost.CancelAsync();
                        return;
                    }

                    lastRenewed = DateTime.UtcNow;
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // A store that is briefly down: the claim is still ours until the lease runs out.
                    if (DateTime.UtcNow - lastRenewed >= lease)
                    {
                        logger.LogWarning(e, "The claim on {What} could not be renewed for a whole lease; the work stops", what);
                        await _lost.CancelAsync();
                        return;
                    }
                }
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // The work finished.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _beating;
        _stop.Dispose();
        _lost.Dispose();
    }
}
