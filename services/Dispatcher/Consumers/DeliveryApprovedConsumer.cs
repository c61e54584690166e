using ContextPush.Contracts;
using ContextPush.Dispatcher.Delivery;
using MassTransit;

namespace ContextPush.Dispatcher.Consumers;

public sealed class DeliveryApprovedConsumer(CardDispatcher dispatcher, ILogger<DeliveryApprovedConsumer> logger) : IConsumer<DeliveryApproved>
{
    public async Task Consume(ConsumeContext<DeliveryApproved> context)
    {
        var delivered = await dispatcher.DispatchAsync(context.Message, context.CancellationToken);
        if (delivered is null)
        {
            logger.LogInformation("Delta {DeltaId} was already delivered; redelivery ignored", context.Message.DeltaId);
            return;
        }

        await context.Publish(delivered, context.CancellationToken);
    }
}
