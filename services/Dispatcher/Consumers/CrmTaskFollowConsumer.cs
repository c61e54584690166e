using ContextPush.Contracts;
using ContextPush.Dispatcher.Crm;
using MassTransit;

namespace ContextPush.Dispatcher.Consumers;

/// <summary>
/// The CRM task follows what was done with the card: "Mark as reviewed" completes it, a snooze moves
/// its due date. A completion that came from the CRM itself is not sent back to it.
/// </summary>
public sealed class CrmTaskFollowConsumer(CrmTaskStore tasks, CrmTaskDispatcher dispatcher, ILogger<CrmTaskFollowConsumer> logger) : IConsumer<CardActioned>
{
    public async Task Consume(ConsumeContext<CardActioned> context)
    {
        var action = context.Message;
        if (action.Action == CardAction.Opened || await tasks.OfDeltaAsync(action.DeltaId, context.CancellationToken) is not { } task
            || task.System == action.Channel || task.ClosedAt is not null)
        {
            return;
        }

        var who = action.ActorName ?? action.ActorId;
        if (action.Action == CardAction.Snoozed && action.SnoozeDays is { } days)
        {
            await dispatcher.PostponeAsync(task, days, action.ActedAt, context.CancellationToken);
            logger.LogInformation("{System} task {TaskId} of delta {DeltaId} postponed {Days} days: snoozed in {Channel} by {Who}",
                task.System, task.TaskId, action.DeltaId, days, action.Channel, who);
            return;
        }

        await dispatcher.CloseAsync(task, $"Reviewed {action.ActedAt:yyyy-MM-dd HH:mm} UTC in {action.Channel} by {who}", context.CancellationToken);
        logger.LogInformation("{System} task {TaskId} of delta {DeltaId} completed: reviewed in {Channel} by {Who}",
            task.System, task.TaskId, action.DeltaId, action.Channel, who);
    }
}
