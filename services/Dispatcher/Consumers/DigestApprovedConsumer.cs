using ContextPush.Contracts;
using ContextPush.Dispatcher.Delivery;
using MassTransit;

namespace ContextPush.Dispatcher.Consumers;

// Publishes through the bus, not the consume context: when the broker goes and comes back, the consume
// context's channel stays dead until this consumer has finished, so its retries could only fail and
// park a good message in the error queue; the bus reconnects on its own (docs/guarantees.md).
public sealed class DigestApprovedConsumer(CardDispatcher dispatcher, IBus bus, ILogger<DigestApprovedConsumer> logger) : IConsumer<DigestApproved>
{
    public async Task Consume(ConsumeContext<DigestApproved> context)
    {
        var outcome = await dispatcher.DispatchDigestAsync(context.Message, context.CancellationToken);
        await outcome.AnnounceAsync(bus, context.CancellationToken);
        if (outcome.IsDuplicate)
        {
            logger.LogInformation("Digest {DigestId} was already delivered; redelivery ignored", context.Message.DigestId);
        }
    }
}
