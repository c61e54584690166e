namespace ContextPush.Contracts;

/// <summary>
/// Published by Assembler once a delta has its owner and context. Consumed by Throttler.
/// Carries everything later stages need, so none of them calls a source again.
/// </summary>
public sealed record ContextAssembled
{
    /// <summary>Shared by every message of one delta's chain; created once by Detector.</summary>
    public required Guid CorrelationId { get; init; }

    /// <summary>The deterministic id of the delta (see <see cref="DeltaDetected.DeltaId"/>); every stage is idempotent on it.</summary>
    public required Guid DeltaId { get; init; }

    /// <summary>The delta as Detector published it.</summary>
    public required DeltaDetected Delta { get; init; }

    /// <summary>The owner, tickets, wording and links Assembler put together.</summary>
    public required AssembledContext Context { get; init; }
}
