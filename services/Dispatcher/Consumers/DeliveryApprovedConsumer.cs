using ContextPush.Contracts;
using ContextPush.Dispatcher.Delivery;
using MassTransit;

namespace ContextPush.Dispatcher.Consumers;

// Publishes through the bus, not the consume context: when the broker goes and comes back, the consume
// context's channel stays dead until this consumer has finished, so its retries could only fail and
// park a good message in the error queue; the bus reconnects on its own (docs/guarantees.md).
public sealed class DeliveryApprovedConsumer(CardDispatcher dispatcher, IBus bus, ILogger<DeliveryApprovedConsumer> logger) : IConsumer<DeliveryApproved>
{
    public async Task Consume(ConsumeContext<DeliveryApproved> context)
    {
        var outcome = await dispatcher.DispatchAsync(context.Message, context.CancellationToken);
        await outcome.AnnounceAsync(bus, context.CancellationToken);
        if (outcome.IsDuplicate)
        {
            logger.LogInformation("Delta {DeltaId} was already delivered; redelivery ignored", context.Message.DeltaId);
        }
    }
}
