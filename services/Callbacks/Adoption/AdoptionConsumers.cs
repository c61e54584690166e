using ContextPush.Contracts;
using MassTransit;

namespace ContextPush.Callbacks.Adoption;

/// <summary>
/// Cards out there, recorded a batch at a time in one statement: one Delivered per delta made this
/// the costliest thing Callbacks did (benchmark: 0.42 ms of CPU per delta). A resolution's update of
/// an earlier card is not a new card.
/// </summary>
public sealed class DeliveredConsumer(AdoptionStore adoption) : IConsumer<Batch<Delivered>>
{
    public Task Consume(ConsumeContext<Batch<Delivered>> context) =>
        adoption.DeliveredAsync([.. context.Message.Select(m => m.Message).Where(d => d.Kind != DeltaKind.Left)], context.CancellationToken);
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
