namespace ContextPush.Dispatcher.Delivery;

/// <summary>One delivery as listed by GET /deliveries.</summary>
public sealed record DeliveryRecord(
    Guid DeltaId, string PushId, string AccountKey, string Status, string? Channel, string? Destination, string? MessageId,
    string? Error, DateTimeOffset? DeliveredAt, DateTimeOffset? FailedAt);
