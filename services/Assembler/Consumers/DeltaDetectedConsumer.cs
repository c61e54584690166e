using ContextPush.Assembler.Context;
using ContextPush.Contracts;
using ContextPush.ServiceDefaults.Idempotency;
using ContextPush.ServiceDefaults.Messaging;
using MassTransit;
using Microsoft.Extensions.Options;

namespace ContextPush.Assembler.Consumers;

// Publishes through ConfirmedPublisher, on the bus and time-boxed (its comment says why).
public sealed class DeltaDetectedConsumer(ContextAssembler assembler, DeltaClaims claims, ConfirmedPublisher bus, IOptions<AssemblerOptions> options,
    ILogger<DeltaDetectedConsumer> logger) : IConsumer<DeltaDetected>
{
    public async Task Consume(ConsumeContext<DeltaDetected> context)
    {
        var delta = context.Message;
        var firstTime = await claims.RunOnceAsync("assembler", delta.DeltaId, options.Value.ProcessedRetention, async ct =>
        {
            var assembled = await assembler.AssembleAsync(delta, ct);
            await bus.PublishAsync(new ContextAssembled
            {
                CorrelationId = delta.CorrelationId,
                DeltaId = delta.DeltaId,
                Delta = delta,
                Context = assembled,
            }, ct);
        }, context.CancellationToken);

        if (!firstTime)
        {
            logger.LogInformation("Delta {DeltaId} was already assembled; redelivery ignored", delta.DeltaId);
        }
    }
}
