namespace ContextPush.Contracts;

/// <summary>Published by Throttler when a delta passed every rule. Consumed by Dispatcher.</summary>
public sealed record DeliveryApproved
{
    /// <summary>Shared by every message of one delta's chain; created once by Detector.</summary>
    public required Guid CorrelationId { get; init; }

    /// <summary>The deterministic id of the delta (see <see cref="DeltaDetected.DeltaId"/>); every stage is idempotent on it.</summary>
    public required Guid DeltaId { get; init; }

    /// <summary>The delta as Detector published it.</summary>
    public required DeltaDetected Delta { get; init; }

    /// <summary>The owner, tickets, wording and links Assembler put together.</summary>
    public required AssembledContext Context { get; init; }

    /// <summary>When Throttler approved it.</summary>
    public required DateTimeOffset ApprovedAt { get; init; }

    /// <summary>
    /// The z-score the priority rule approved the delta with (of the metric it judged); absent when the
    /// rule did not score it (off, or too little history) and from older publishers. Adoption weighs
    /// which scores people act on.
    /// </summary>
    public double? PriorityScore { get; init; }
}
