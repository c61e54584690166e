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
        if (!response.Ok)
        {
            throw new SlackApiException("chat.update", response.Error ?? "unknown_error");
        }

        await deliveries.ReplaceCardAsync(action.DeltaId, updated, ct);
    }
}
