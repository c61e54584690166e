using ContextPush.Contracts;
using ContextPush.Throttler.Throttling;
using MassTransit;

namespace ContextPush.Throttler.Consumers;

/// <summary>Remembers delivered cards (idempotent: one row per delta).</summary>
public sealed class DeliveredConsumer(SentCards cards) : IConsumer<Delivered>
{
    public Task Consume(ConsumeContext<Delivered> context) => cards.RecordAsync(context.Message.PushId, context.Message.AccountKey,
        context.Message.DeltaId, context.Message.Channel, context.Message.DeliveredAt, context.CancellationToken);
}
