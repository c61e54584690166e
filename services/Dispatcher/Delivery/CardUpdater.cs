using ContextPush.Contracts;
using ContextPush.Dispatcher.Slack;

namespace ContextPush.Dispatcher.Delivery;

/// <summary>Shows on a delivered card that someone acted on it, and takes its buttons away.</summary>
public sealed class CardUpdater(DeliveryStore deliveries, ISlackApi slack, ILogger<CardUpdater> logger)
{
    public async Task ApplyAsync(CardActioned action, CancellationToken ct)
    {
        if (await deliveries.FindDeliveredAsync(action.DeltaId, ct) is not { Channel: "slack", Card: { } card } sent)
        {
            logger.LogInformation("Delta {DeltaId} has no Slack card to update after {Action}", action.DeltaId, action.Action);
            return;
        }

        var updated = SlackCard.Acted(card, action);
        updated["channel"] = sent.Destination;
        updated["ts"] = sent.MessageId;
        var response = await slack.UpdateMessageAsync(updated, ct);
        if (!response.Ok && SlackErrors.IsPermanent(response.Error ?? ""))
        {
            // A deleted message or a lost permission: the action itself is recorded, only the cosmetic update is lost.
            logger.LogWarning("Card of delta {DeltaId} could not be updated after {Action}: {SlackError}", action.DeltaId, action.Action, response.Error);
            return;
        }

        if (!response.Ok)
        {
            throw SlackErrors.ToException("chat.update", sent.Destination, response.Error);
        }

        await deliveries.ReplaceCardAsync(action.DeltaId, updated, ct);
    }
}
