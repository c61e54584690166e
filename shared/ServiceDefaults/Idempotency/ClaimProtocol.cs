using Microsoft.Extensions.Logging;

namespace ContextPush.ServiceDefaults.Idempotency;

/// <summary>
/// The one protocol every stage follows for a DeltaId (docs/guarantees.md lists them): claim, work
/// while the claim is renewed, then complete, or release and rethrow. Work already done is skipped;
/// work another consumer is doing now is retried later (<see cref="DeltaInFlightException"/>); work
/// whose claim was lost is cancelled before it publishes or posts.
/// </summary>
public static class ClaimProtocol
{
    /// <summary>
    /// Runs <paramref name="work"/> under <paramref name="ticket"/> and hands its result to
    /// <paramref name="complete"/>; answers false, without running anything, when the stage had already
    /// done it. A failure <paramref name="settledByCaller"/> accepts keeps the claim, for the caller to
    /// settle (the Dispatcher records a refusal or schedules a retry on it); any other releases it.
    /// </summary>
    public static async Task<bool> RunAsync<T>(this IClaimLedger ledger, ClaimTicket ticket, Func<CancellationToken, Task<T>> work,
        Func<T, Task> complete, ILogger logger, CancellationToken ct, Func<Exception, bool>? settledByCaller = null)
    {
        switch (ticket.Outcome)
        {
            case ClaimOutcome.AlreadyDone:
                return false;
            case ClaimOutcome.InFlight:
                throw new DeltaInFlightException(ticket.Stage, ticket.WorkId);
        }

        T result;
        try
        {
            await using var heartbeat = ClaimHeartbeat.Start(ledger.Lease, c => ledger.RenewAsync(ticket, c), logger, $"{ticket.Stage} {ticket.WorkId}");
            using var held = CancellationTokenSource.CreateLinkedTokenSource(ct, heartbeat.Lost);
            result = await work(held.Token);
        }
        catch (Exception e) when (settledByCaller?.Invoke(e) != true)
        {
            await ledger.ReleaseAsync(ticket);
            throw;
        }

        await complete(result);
        return true;
    }
}
