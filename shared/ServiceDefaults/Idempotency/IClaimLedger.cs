namespace ContextPush.ServiceDefaults.Idempotency;

/// <summary>
/// Where a stage keeps its claims: Redis for the Assembler and the Throttler (<see cref="DeltaClaims"/>),
/// the delivery table for the Dispatcher, whose claim also records what was sent.
/// </summary>
public interface IClaimLedger
{
    /// <summary>How long a claim lasts unless renewed; a dead holder's claim is taken over after it.</summary>
    TimeSpan Lease { get; }

    /// <summary>Extends the lease if the claim is still this attempt's; false when another holds it now.</summary>
    Task<bool> RenewAsync(ClaimTicket ticket, CancellationToken ct);

    /// <summary>Gives the claim back (only if still this attempt's), so a retry or another copy can do the work at once.</summary>
    Task ReleaseAsync(ClaimTicket ticket);
}

/// <summary>One attempt's claim on one piece of work (a DeltaId, or a digest's id) for one stage.</summary>
public sealed record ClaimTicket(string Stage, Guid WorkId, string Token, ClaimOutcome Outcome);
