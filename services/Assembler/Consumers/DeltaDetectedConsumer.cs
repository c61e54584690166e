using ContextPush.Assembler.Context;
using ContextPush.Assembler.Idempotency;
using ContextPush.Contracts;
using MassTransit;

namespace ContextPush.Assembler.Consumers;

public sealed class DeltaDetectedConsumer(ContextAssembler assembler, ProcessedDeltas processed, ILogger<DeltaDetectedConsumer> logger)
    : IConsumer<DeltaDetected>
{
    public async Task Consume(ConsumeContext<DeltaDetected> context)
    {
        var delta = context.Message;
        if (await processed.IsProcessedAsync(delta.DeltaId))
        {
            logger.LogInformation("Delta {DeltaId} was already assembled; redelivery ignored", delta.DeltaId);
            return;
        }

        var assembled = await assembler.AssembleAsync(delta, context.CancellationToken);
        await context.Publish(new ContextAssembled
        {
            CorrelationId = delta.CorrelationId,
            DeltaId = delta.DeltaId,
            Delta = delta,
            Context = assembled,
        }, context.CancellationToken);
        await processed.MarkProcessedAsync(delta.DeltaId);
    }
}
