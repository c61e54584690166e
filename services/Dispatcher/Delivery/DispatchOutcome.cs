using ContextPush.ServiceDefaults.Messaging;

namespace ContextPush.Dispatcher.Delivery;

/// <summary>
/// What became of an approval or a digest: the event that announces it (Delivered, DigestDelivered or
/// DeliveryFailed), or none when it was postponed (the platform was unavailable) or a duplicate.
/// </summary>
public sealed record DispatchOutcome(object? Announcement)
{
    public static readonly DispatchOutcome Duplicate = new((object?)null) { IsDuplicate = true };

    public static readonly DispatchOutcome Postponed = new((object?)null);

    public bool IsDuplicate { get; private init; }

    /// <summary>Publishes the announcement, if any, as its own type.</summary>
    public Task AnnounceAsync(ConfirmedPublisher bus, CancellationToken ct) =>
        Announcement is { } message ? bus.PublishAsync(message, message.GetType(), ct) : Task.CompletedTask;
}
