namespace ContextPush.ServiceDefaults.Idempotency;

/// <summary>What an attempt to claim a DeltaId for a stage found.</summary>
public enum ClaimOutcome
{
    /// <summary>This consumer now owns the delta until it completes or the lease ends.</summary>
    Claimed,

    /// <summary>The stage already finished this delta: a redelivery to ignore.</summary>
    AlreadyDone,

    /// <summary>Another consumer holds a live claim.</summary>
    InFlight,
}
