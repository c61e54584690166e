using ContextPush.Assembler.Context;
using ContextPush.Contracts;
using ContextPush.ServiceDefaults.Idempotency;
using MassTransit;
using Microsoft.Extensions.Options;

namespace ContextPush.Assembler.Consumers;

// Publishes through the bus, not the consume context: when the broker goes and comes back, the consume
// context's channel stays dead until this consumer has finished, so its retries could only fail and
// park a good message in the error queue; the bus reconnects on its own (docs/guarantees.md).
public sealed class DeltaDetectedConsumer(ContextAssembler assembler, DeltaClaims claims, IBus bus, IOptions<AssemblerOptions> options,
    ILogger<DeltaDetectedConsumer> logger) : IConsumer<DeltaDetected>
{
    public async Task Consume(ConsumeContext<DeltaDetected> context)
    {
        var delta = context.Message;
        var firstTime = await claims.RunOnceAsync("assembler", delta.DeltaId, options.Value.ProcessedRetention, async ct =>
        {
            var assembled = await assembler.AssembleAsync(delta, ct);
            await bus.Publish(new ContextAssembled
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
