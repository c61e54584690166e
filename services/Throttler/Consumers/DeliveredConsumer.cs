using ContextPush.Contracts;
using ContextPush.Throttler.Throttling;
using MassTransit;

namespace ContextPush.Throttler.Consumers;

/// <summary>Remembers delivered cards a batch at a time, in one statement (idempotent: one row per delta).</summary>
public sealed class DeliveredConsumer(SentCards cards) : IConsumer<Batch<Delivered>>
{
    public Task Consume(ConsumeContext<Batch<Delivered>> context) => cards.RecordAsync([.. context.Message.Select(m => m.Message)], context.CancellationToken);
}
