using ContextPush.ServiceDefaults.Idempotency;

namespace ContextPush.Dispatcher.Delivery;

/// <summary>The outcome of claiming a delivery, and the attempt it took over when that attempt died while sending.</summary>
public sealed record DeliveryClaim(ClaimOutcome Outcome, AbandonedAttempt? TookOver);

/// <summary>
/// An attempt that held the claim until its lease ran out: between these times it may have posted the
/// card, and the platform may hold it although nothing recorded it.
/// </summary>
public sealed record AbandonedAttempt(DateTimeOffset From, DateTimeOffset To);
