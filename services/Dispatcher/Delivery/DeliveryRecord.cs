namespace ContextPush.Dispatcher.Delivery;

/// <summary>One delivery as listed by GET /deliveries; a 'retrying' one shows its last error and when it is tried next.</summary>
public sealed record DeliveryRecord(
    Guid DeltaId, string PushId, string AccountKey, string Status, string? Channel, string? Destination, string? MessageId,
    string? Error, DateTimeOffset? DeliveredAt, DateTimeOffset? FailedAt, DateTimeOffset? NextAttemptAt);
