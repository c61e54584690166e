using ContextPush.Contracts;
using MassTransit;

namespace ContextPush.Callbacks.Adoption;

/// <summary>A card out there; a resolution's update of an earlier card is not a new card.</summary>
public sealed class DeliveredConsumer(AdoptionStore adoption) : IConsumer<Delivered>
{
    public Task Consume(ConsumeContext<Delivered> context) => context.Message switch
    {
        { Kind: DeltaKind.Left } => Task.CompletedTask,
        var d => adoption.DeliveredAsync(d.DeltaId, d.PushId, d.AccountKey, d.Owner, d.Channel, d.DeliveredAt, context.CancellationToken, d.PriorityScore, d.Moves),
    };
}

/// <summary>Each account of a digest is a card out there: its "Open" button is recorded per delta.</summary>
public sealed class DigestDeliveredConsumer(AdoptionStore adoption) : IConsumer<DigestDelivered>
{
    public async Task Consume(ConsumeContext<DigestDelivered> context)
    {
        var digest = context.Message;
        foreach (var delta in digest.Deltas)
        {
            await adoption.DeliveredAsync(delta.DeltaId, digest.PushId, delta.AccountKey, digest.Owner, digest.Channel, digest.DeliveredAt, context.CancellationToken);
        }
    }
}

public sealed class DeliverySuppressedConsumer(AdoptionStore adoption) : IConsumer<DeliverySuppressed>
{
    public Task Consume(ConsumeContext<DeliverySuppressed> context) => adoption.SuppressedAsync(context.Message.DeltaId, context.Message.PushId,
        context.Message.Owner, context.Message.Reason, context.Message.DecidedAt, context.CancellationToken);
}

public sealed class DeliveryFailedConsumer(AdoptionStore adoption) : IConsumer<DeliveryFailed>
{
    public Task Consume(ConsumeContext<DeliveryFailed> context) => adoption.FailedAsync(context.Message.DeltaId, context.Message.PushId,
        context.Message.Owner, context.Message.Channel, context.Message.Permanent, context.Message.FailedAt, context.CancellationToken);
}
