using ContextPush.ServiceDefaults.Messaging;

namespace ContextPush.Dispatcher.Redelivery;

/// <summary>
/// A card whose platform stayed unavailable for the whole redelivery horizon: its message goes to
/// the error queue with this reason, the delivery is recorded as failed, and a replay tries again.
/// </summary>
public sealed class DeliveryGaveUpException(Guid deltaId, TimeSpan horizon, int attempts, string lastError)
    : ParkedException($"gave up on {deltaId} after {attempts} attempts over {horizon}: {lastError}");
