using ContextPush.Contracts;
using ContextPush.ServiceDefaults.Idempotency;
using ContextPush.Throttler.Throttling;
using MassTransit;

namespace ContextPush.Throttler.Consumers;

// Publishes through the bus, not the consume context: when the broker goes and comes back, the consume
// context's channel stays dead until this consumer has finished, so its retries could only fail and
// park a good message in the error queue; the bus reconnects on its own (docs/guarantees.md).
public sealed class ContextAssembledConsumer(DeliveryThrottle throttle, DecisionStore decisions, DeltaClaims claims, IBus bus,
    ILogger<ContextAssembledConsumer> logger) : IConsumer<ContextAssembled>
{
    private static readonly TimeSpan Retention = TimeSpan.FromDays(30);

    public async Task Consume(ConsumeContext<ContextAssembled> context)
    {
        var message = context.Message;
        var firstTime = await claims.RunOnceAsync("throttler", message.DeltaId, Retention, async ct =>
        {
            // The decision table outlives the Redis marker: a very late redelivery is still recognised.
            if (await decisions.ExistsAsync(message.DeltaId, ct))
            {
                return;
            }

            var decision = await throttle.DecideAsync(message, ct);
            ThrottlerMetrics.Decided(decision);
            await bus.Publish(ToEvent(message, decision), decision.Approved ? typeof(DeliveryApproved) : typeof(DeliverySuppressed), ct);
            if (!decision.Approved)
            {
                logger.LogInformation("Delta {DeltaId} suppressed: {Reason}: {Detail}", message.DeltaId, decision.Reason, decision.Detail);
            }

            // Recorded after the publish: a crash in between repeats the same decision (the cap claim
            // is idempotent per DeltaId) and the Dispatcher absorbs the duplicate approval.
            await decisions.RecordAsync(decision, CancellationToken.None);
        }, context.CancellationToken);

        if (!firstTime)
        {
            logger.LogInformation("Delta {DeltaId} was already decided; redelivery ignored", message.DeltaId);
        }
    }

    private static object ToEvent(ContextAssembled message, Decision decision) => decision.Approved
        ? new DeliveryApproved
        {
            CorrelationId = message.CorrelationId,
            DeltaId = message.DeltaId,
            Delta = message.Delta,
            Context = message.Context,
            ApprovedAt = decision.DecidedAt,
        }
        : new DeliverySuppressed
        {
            CorrelationId = message.CorrelationId,
            DeltaId = message.DeltaId,
            PushId = decision.PushId,
            AccountKey = decision.AccountKey,
            Reason = decision.Reason,
            Detail = decision.Detail,
            DecidedAt = decision.DecidedAt,
        };
}
