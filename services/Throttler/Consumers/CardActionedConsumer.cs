using ContextPush.Contracts;
using ContextPush.Throttler.Throttling;
using MassTransit;

namespace ContextPush.Throttler.Consumers;

/// <summary>Turns a person's "reviewed" or "snooze" into a suppression (idempotent: the latest answer wins).</summary>
public sealed class CardActionedConsumer(Suppressions suppressions, DecisionStore decisions, ILogger<CardActionedConsumer> logger)
    : IConsumer<CardActioned>
{
    public async Task Consume(ConsumeContext<CardActioned> context)
    {
        var action = context.Message;
        switch (action.Action)
        {
            case CardAction.Reviewed:
                var shown = await decisions.MetricsOfAsync(action.DeltaId, context.CancellationToken) ?? new Dictionary<string, decimal?>();
                await suppressions.ReviewAsync(action.PushId, action.AccountKey, action.ActorId, action.ActedAt, shown, context.CancellationToken);
                break;
            case CardAction.Snoozed:
                var until = action.ActedAt.AddDays(action.SnoozeDays ?? 7);
                await suppressions.SnoozeAsync(action.PushId, action.AccountKey, action.ActorId, action.ActedAt, until, context.CancellationToken);
                break;
            default:
                return;
        }

        logger.LogInformation("{Action} of {PushId}/{AccountKey} by {ActorId} will suppress its alerts", action.Action, action.PushId, action.AccountKey, action.ActorId);
    }
}
