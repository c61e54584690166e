using ContextPush.Contracts;
using ContextPush.Throttler.Throttling;
using MassTransit;

namespace ContextPush.Throttler.Consumers;

public sealed class ContextAssembledConsumer(DeliveryThrottle throttle, DecisionStore decisions, ILogger<ContextAssembledConsumer> logger)
    : IConsumer<ContextAssembled>
{
    public async Task Consume(ConsumeContext<ContextAssembled> context)
    {
        var message = context.Message;
        if (await decisions.ExistsAsync(message.DeltaId, context.CancellationToken))
        {
            logger.LogInformation("Delta {DeltaId} was already decided; redelivery ignored", message.DeltaId);
            return;
        }

        var decision = await throttle.DecideAsync(message);
        if (decision.Approved)
        {
            await context.Publish(new DeliveryApproved
            {
                CorrelationId = message.CorrelationId,
                DeltaId = message.DeltaId,
                Delta = message.Delta,
                Context = message.Context,
                ApprovedAt = decision.DecidedAt,
            }, context.CancellationToken);
        }
        else
        {
            logger.LogInformation("Delta {DeltaId} suppressed: {Reason}: {Detail}", message.DeltaId, decision.Reason, decision.Detail);
            await context.Publish(new DeliverySuppressed
            {
                CorrelationId = message.CorrelationId,
                DeltaId = message.DeltaId,
                PushId = decision.PushId,
                AccountKey = decision.AccountKey,
                Reason = decision.Reason,
                Detail = decision.Detail,
                DecidedAt = decision.DecidedAt,
            }, context.CancellationToken);
        }

        // Recorded after the publish: a crash in between repeats the same decision (the cap claim is
        // idempotent per DeltaId) and the Dispatcher absorbs the duplicate approval.
        await decisions.RecordAsync(decision, context.CancellationToken);
    }
}
