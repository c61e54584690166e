using ContextPush.ServiceDefaults.Messaging;

namespace ContextPush.Dispatcher.Delivery;

/// <summary>
/// What became of an approval or a digest: the event that announces it (Delivered, DigestDelivered or
/// DeliveryFailed), or none when it was postponed (the platform was unavailable) or a duplicate.
/// A duplicate of a delivered card announces it again (<see cref="Repeat"/>).
/// </summary>
public sealed record DispatchOutcome(object? Announcement)
{
    public static readonly DispatchOutcome Duplicate = new((object?)null) { IsDuplicate = true };

    public static readonly DispatchOutcome Postponed = new((object?)null);

    public bool IsDuplicate { get; private init; }

    /// <summary>
    /// A copy of an approval already delivered, whose announcement is published again as it was: the first
    /// one may never have reached the broker (a publish whose confirm was lost), and every consumer of
    /// <c>Delivered</c> inserts or ignores by DeltaId.
    /// </summary>
    public static DispatchOutcome Repeat(object announcement) => new(announcement) { IsDuplicate = true };

    /// <summary>Publishes the announcement, if any, as its own type.</summary>
    public Task AnnounceAsync(ConfirmedPublisher bus, CancellationToken ct) =>
        Announcement is { } message ? bus.PublishAsync(message, message.GetType(), ct) : Task.CompletedTask;
}
