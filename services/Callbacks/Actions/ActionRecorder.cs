using ContextPush.Contracts;
using MassTransit;

namespace ContextPush.Callbacks.Actions;

/// <summary>Records an accepted action and feeds it back into the pipeline as <see cref="CardActioned"/>.</summary>
public sealed class ActionRecorder(ActionStore store, IPublishEndpoint publish, ILogger<ActionRecorder> logger)
{
    public async Task RecordAsync(RecordedAction action, CancellationToken ct)
    {
        if (!await store.TryRecordAsync(action, ct))
        {
            logger.LogInformation("{Action} of delta {DeltaId} by {ActorId} was already recorded", action.Action, action.Card.DeltaId, action.ActorId);
            return;
        }

        try
        {
            await publish.Publish(new CardActioned
            {
                CorrelationId = action.Card.CorrelationId,
                DeltaId = action.Card.DeltaId,
                PushId = action.Card.PushId,
                AccountKey = action.Card.AccountKey,
                Action = action.Action,
                ActorId = action.ActorId,
                ActorName = action.ActorName,
                ActedAt = action.ActedAt,
                Channel = action.Channel,
                MessageId = action.MessageId,
            }, ct);
        }
        catch
        {
            await store.ForgetAsync(action, CancellationToken.None);
            throw;
        }

        logger.LogInformation("{Action} of delta {DeltaId} by {ActorId} recorded", action.Action, action.Card.DeltaId, action.ActorId);
    }
}
