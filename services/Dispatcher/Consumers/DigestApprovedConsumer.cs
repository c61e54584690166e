using ContextPush.Contracts;
using ContextPush.Dispatcher.Delivery;
using ContextPush.ServiceDefaults.Messaging;
using MassTransit;

namespace ContextPush.Dispatcher.Consumers;

// Publishes through ConfirmedPublisher, on the bus and time-boxed (its comment says why).
public sealed class DigestApprovedConsumer(CardDispatcher dispatcher, ConfirmedPublisher publisher, ILogger<DigestApprovedConsumer> logger) : IConsumer<DigestApproved>
{
    public async Task Consume(ConsumeContext<DigestApproved> context)
    {
        var outcome = await dispatcher.DispatchDigestAsync(context.Message, context.CancellationToken);
        await outcome.AnnounceAsync(publisher, context.CancellationToken);
        if (outcome.IsDuplicate)
        {
            logger.LogInformation("Digest {DigestId} was already delivered; redelivery ignored", context.Message.DigestId);
        }
    }
}
