using ContextPush.Contracts;
using ContextPush.Throttler.Throttling;
using MassTransit;

namespace ContextPush.Throttler.Consumers;

/// <summary>Remembers every account of a delivered digest as having a card out there (idempotent: one row per delta).</summary>
public sealed class DigestDeliveredConsumer(SentCards cards) : IConsumer<DigestDelivered>
{
    public async Task Consume(ConsumeContext<DigestDelivered> context)
    {
        var digest = context.Message;
        foreach (var delta in digest.Deltas)
        {
            await cards.RecordAsync(digest.PushId, delta.AccountKey, delta.DeltaId, digest.Channel, digest.DeliveredAt, context.CancellationToken);
        }
    }
}
