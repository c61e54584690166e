using ContextPush.Contracts;
using ContextPush.ServiceDefaults.Idempotency;
using ContextPush.ServiceDefaults.Messaging;
using ContextPush.Throttler.Telemetry;

namespace ContextPush.Throttler.Throttling;

/// <summary>
/// Decides each assembled delta once: claimed (<see cref="DeltaClaims"/>), checked against the decision
/// table, decided, announced, recorded.
/// </summary>
// Publishes through ConfirmedPublisher, on the bus and time-boxed (its comment says why).
public sealed class DecisionProtocol(DeliveryThrottle throttle, DecisionStore decisions, DeltaClaims claims, ConfirmedPublisher bus, ThrottlerMetrics metrics,
    ILogger<DecisionProtocol> logger)
{
    private static readonly TimeSpan Retention = TimeSpan.FromDays(30);

    /// <summary>False when the delta had already been decided (a redelivery).</summary>
    public Task<bool> DecideOnceAsync(ContextAssembled message, CancellationToken ct) =>
        claims.RunOnceAsync("throttler", message.DeltaId, Retention, async held =>
        {
            // The decision table outlives the Redis marker: a very late redelivery is still recognised.
            if (await decisions.ExistsAsync(message.DeltaId, held))
            {
                return;
            }

            var decision = await throttle.DecideAsync(message, held);
            metrics.Decided(decision);
            var announcement = Announcement(message, decision);
            await bus.PublishAsync(announcement, announcement.GetType(), held);
            if (!decision.Approved)
            {
                logger.LogInformation("Delta {DeltaId} suppressed: {Reason}: {Detail}", message.DeltaId, decision.Reason, decision.Detail);
            }

            // Recorded after the publish: a crash in between repeats the same decision (the cap claim
            // is idempotent per DeltaId) and the Dispatcher absorbs the duplicate approval.
            await decisions.RecordAsync(decision, CancellationToken.None);
        }, ct);

    private static object Announcement(ContextAssembled message, Decision decision) => decision.Approved
        ? new DeliveryApproved
        {
            CorrelationId = message.CorrelationId,
            DeltaId = message.DeltaId,
            Delta = message.Delta,
            Context = message.Context,
            ApprovedAt = decision.DecidedAt,
            PriorityScore = decision.Numbers.TryGetValue("z", out var z)
                && double.TryParse(z, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var score)
                ? score
                : null,
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
            Owner = message.Context.Owner?.Identity(),
        };
}
