using ContextPush.Contracts;
using ContextPush.Dispatcher.Redelivery;

namespace ContextPush.Dispatcher.Delivery;

/// <summary>
/// What became of an approval: delivered, refused by the platform, postponed because the platform
/// was unavailable, or a duplicate of one already delivered.
/// </summary>
public sealed record DispatchOutcome(Delivered? Delivered, DeliveryFailed? Failed, RedeliveryPlan? Postponed = null)
{
    public static readonly DispatchOutcome Duplicate = new(null, null);
}
