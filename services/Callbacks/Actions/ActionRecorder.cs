using System.Diagnostics;
using ContextPush.Callbacks.Telemetry;
using ContextPush.Contracts;
using ContextPush.ServiceDefaults.Idempotency;
using ContextPush.ServiceDefaults.Messaging;
using ContextPush.ServiceDefaults.Telemetry;

namespace ContextPush.Callbacks.Actions;

/// <summary>Records an accepted action and feeds it back into the pipeline as <see cref="CardActioned"/>.</summary>
public sealed class ActionRecorder(ActionStore store, ConfirmedPublisher publish, CallbacksMetrics metrics, ILogger<ActionRecorder> logger)
{
    private static readonly ActivitySource Source = new(Microsoft.Extensions.Hosting.Extensions.ContextPushTelemetryName);

    /// <summary>False when this person had already taken this action on this card (a repeated click changes nothing).</summary>
    public async Task<bool> RecordAsync(RecordedAction action, CancellationToken ct)
    {
        // Its own span, linked to the trace of the card's delivery: the click comes hours later, from outside.
        var links = ActivityContext.TryParse(action.Card.TraceParent, null, out var delivery) ? new[] { new ActivityLink(delivery) } : null;
        using var span = Source.StartActivity("card " + action.Action.ToString().ToLowerInvariant(), ActivityKind.Internal, Activity.Current?.Context ?? default,
            DeltaTagNames.Of(action.Card.PushId, action.Card.AccountKey, action.Card.DeltaId),
            links);
        // Not published (the broker away, the process stopping): the row stays unpublished and the person's
        // next click publishes it (ActionStore.ReleaseAsync).
        var first = await store.RunAsync(await store.TryClaimAsync(action, ct), async held =>
        {
            await publish.PublishAsync(new CardActioned
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
                SnoozeDays = action.SnoozeDays,
                TimeToAction = action.TimeToAction,
            }, held);
            return true;
        }, _ => store.PublishedAsync(action, CancellationToken.None), logger, ct);
        if (!first)
        {
            logger.LogInformation("{Action} of delta {DeltaId} by {ActorId} was already recorded", action.Action, action.Card.DeltaId, action.ActorId);
            return false;
        }

        metrics.Accepted(action.Action, action.Channel, action.TimeToAction);
        logger.LogInformation("{Action} of delta {DeltaId} by {ActorId} recorded", action.Action, action.Card.DeltaId, action.ActorId);
        return true;
    }
}
