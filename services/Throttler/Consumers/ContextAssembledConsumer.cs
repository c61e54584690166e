using ContextPush.Contracts;
using ContextPush.Throttler.Throttling;
using MassTransit;

namespace ContextPush.Throttler.Consumers;

public sealed class ContextAssembledConsumer(DecisionProtocol protocol, ILogger<ContextAssembledConsumer> logger) : IConsumer<ContextAssembled>
{
    public async Task Consume(ConsumeContext<ContextAssembled> context)
    {
        if (!await protocol.DecideOnceAsync(context.Message, context.CancellationToken))
        {
            logger.LogInformation("Delta {DeltaId} was already decided; redelivery ignored", context.Message.DeltaId);
        }
    }
}
