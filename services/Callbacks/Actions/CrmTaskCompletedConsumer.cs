using ContextPush.Contracts;
using MassTransit;

namespace ContextPush.Callbacks.Actions;

/// <summary>
/// The owner completed the delta's task in the CRM: that is "Mark as reviewed", recorded once per
/// person like a click, with the time from the task's writing, and fed back (suppression, the card).
/// </summary>
public sealed class CrmTaskCompletedConsumer(ActionRecorder recorder) : IConsumer<CrmTaskCompleted>
{
    public async Task Consume(ConsumeContext<CrmTaskCompleted> context)
    {
        var completed = context.Message;
        var card = new CardButtonValue(completed.DeltaId, completed.CorrelationId, completed.PushId, completed.AccountKey,
            completed.DeliveredAt.ToUnixTimeSeconds());
        await recorder.RecordAsync(new RecordedAction(card, CardAction.Reviewed, completed.CompletedById, completed.CompletedByName, completed.System,
            completed.TaskId, completed.CompletedAt), context.CancellationToken);
    }
}
