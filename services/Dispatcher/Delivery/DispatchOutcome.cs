using ContextPush.Contracts;

namespace ContextPush.Dispatcher.Delivery;

/// <summary>What became of an approval: delivered, refused by the platform, or a duplicate of one already delivered.</summary>
public sealed record DispatchOutcome(Delivered? Delivered, DeliveryFailed? Failed)
{
    public static readonly DispatchOutcome Duplicate = new(null, null);
}
