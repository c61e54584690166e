using ContextPush.Contracts;
using ContextPush.Dispatcher.Crm;
using ContextPush.Dispatcher.Delivery;
using ContextPush.PushFiles;
using MassTransit;

namespace ContextPush.Dispatcher.Consumers;

// Publishes through the bus, not the consume context: when the broker goes and comes back, the consume
// context's channel stays dead until this consumer has finished, so its retries could only fail and
// park a good message in the error queue; the bus reconnects on its own (docs/guarantees.md).
public sealed class DeliveryApprovedConsumer(CardDispatcher dispatcher, IBus bus, IEndpointNameFormatter names, ILogger<DeliveryApprovedConsumer> logger)
    : IConsumer<DeliveryApproved>
{
    public async Task Consume(ConsumeContext<DeliveryApproved> context)
    {
        // First, so a card that fails or is refused holds the task back in nothing; a repeat is absorbed by the task's claim.
        if (PushSettingsReader.Of(context.Message.Delta).Delivery.CrmTask is not null)
        {
            await (await bus.GetSendEndpoint(new Uri($"queue:{names.Consumer<CrmTaskConsumer>()}"))).Send(new CrmTaskDue(context.Message), context.CancellationToken);
        }

        var outcome = await dispatcher.DispatchAsync(context.Message, context.CancellationToken);
        await outcome.AnnounceAsync(bus, context.CancellationToken);
        if (outcome.IsDuplicate)
        {
            logger.LogInformation("Delta {DeltaId} was already delivered; redelivery ignored", context.Message.DeltaId);
        }
    }
}
