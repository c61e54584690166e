using ContextPush.ServiceDefaults.Idempotency;

namespace ContextPush.Dispatcher.Delivery;

/// <summary>A claim on a delivery, and the attempt it took over when that attempt died while sending.</summary>
public sealed record DeliveryClaim(ClaimTicket Ticket, AbandonedAttempt? TookOver);

/// <summary>
/// An attempt that ended without knowing whether the platform took the card (it died, or was cut short
/// mid-request): between these times it may have posted it, although nothing recorded it.
/// </summary>
public sealed record AbandonedAttempt(DateTimeOffset From, DateTimeOffset To);
