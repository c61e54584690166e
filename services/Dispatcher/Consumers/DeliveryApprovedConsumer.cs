using ContextPush.Contracts;
using ContextPush.Dispatcher.Crm;
using ContextPush.Dispatcher.Delivery;
using ContextPush.PushFiles;
using ContextPush.ServiceDefaults.Messaging;
using MassTransit;

namespace ContextPush.Dispatcher.Consumers;

// Publishes through ConfirmedPublisher, on the bus and time-boxed (its comment says why).
public sealed class DeliveryApprovedConsumer(CardDispatcher dispatcher, IBus bus, ConfirmedPublisher publisher, IEndpointNameFormatter names, ILogger<DeliveryApprovedConsumer> logger)
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
        await outcome.AnnounceAsync(publisher, context.CancellationToken);
        if (outcome.IsDuplicate)
        {
            logger.LogInformation("Delta {DeltaId} was already delivered; redelivery ignored", context.Message.DeltaId);
        }
    }
}
