namespace ContextPush.Contracts;

/// <summary>
/// Published by Dispatcher once a digest (<see cref="DigestApproved"/>) was accepted by its channel.
/// Consumed by Throttler (every account in it now has a card out there, so its resolution can pass)
/// and by Callbacks (adoption figures).
/// A digest has its own event because <see cref="Delivered"/> is about one delta's card.
/// </summary>
public sealed record DigestDelivered
{
    /// <summary>The digest's own correlation id (<see cref="DigestApproved.CorrelationId"/>).</summary>
    public required Guid CorrelationId { get; init; }

    /// <summary>The digest's deterministic id (<see cref="DigestApproved.DigestId"/>).</summary>
    public required Guid DigestId { get; init; }

    /// <summary>The push whose budget held the deltas.</summary>
    public required string PushId { get; init; }

    /// <summary>Each delta the digest carried, with its account.</summary>
    public required IReadOnlyList<DigestedDelta> Deltas { get; init; }

    /// <summary>"slack" or "console".</summary>
    public required string Channel { get; init; }

    /// <summary>The channel or user id the digest went to.</summary>
    public required string Destination { get; init; }

    /// <summary>The platform's message id (Slack's <c>ts</c>).</summary>
    public required string MessageId { get; init; }

    /// <summary>When the channel accepted the digest.</summary>
    public required DateTimeOffset DeliveredAt { get; init; }

    /// <summary>The account owner (<see cref="AccountOwner.Identity"/>) when the Assembler found one: adoption figures per owner. Absent from older publishers.</summary>
    public string? Owner { get; init; }
}
