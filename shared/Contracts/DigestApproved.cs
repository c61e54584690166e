namespace ContextPush.Contracts;

/// <summary>
/// Published by Throttler at a push's digest time with the deltas held back by an owner's daily card
/// budget: several accounts, one message. Consumed by Dispatcher, which sends it as one card.
/// </summary>
public sealed record DigestApproved
{
    /// <summary>A correlation id of the digest's own; each item keeps its delta's chain id.</summary>
    public required Guid CorrelationId { get; init; }

    /// <summary>Deterministic from push, owner and due time, so a re-published digest is recognised.</summary>
    public required Guid DigestId { get; init; }

    /// <summary>The DeltaIds the digest carries.</summary>
    public required IReadOnlyList<Guid> DeltaIds { get; init; }

    /// <summary>The push whose budget held the deltas.</summary>
    public required string PushId { get; init; }

    /// <summary>Whom the digest is for.</summary>
    public AccountOwner? Owner { get; init; }

    /// <summary>The held deltas, oldest first.</summary>
    public required IReadOnlyList<DigestItem> Items { get; init; }

    /// <summary>The digest time it was due at.</summary>
    public required DateTimeOffset DueAt { get; init; }
}
