using ContextPush.Contracts;
using ContextPush.Dispatcher.Delivery;
using MassTransit;

namespace ContextPush.Dispatcher.Consumers;

public sealed class DigestApprovedConsumer(CardDispatcher dispatcher, ILogger<DigestApprovedConsumer> logger) : IConsumer<DigestApproved>
{
    public async Task Consume(ConsumeContext<DigestApproved> context)
    {
        var outcome = await dispatcher.DispatchDigestAsync(context.Message, context.CancellationToken);
        if (outcome.Delivered is { } delivered)
        {
            await context.Publish(delivered, context.CancellationToken);
        }
        else if (outcome.Postponed is { } postponed)
        {
            DispatcherMetrics.Postponed(postponed.LastError);
        }
        else
        {
            logger.LogInformation("Digest {DigestId} was already delivered; redelivery ignored", context.Message.DigestId);
        }
    }
}
