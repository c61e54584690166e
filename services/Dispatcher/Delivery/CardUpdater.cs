using ContextPush.Contracts;
using ContextPush.Dispatcher.Slack;

namespace ContextPush.Dispatcher.Delivery;

/// <summary>Shows on a delivered card that someone acted on it, and takes its buttons away.</summary>
public sealed class CardUpdater(DeliveryStore deliveries, ISlackApi slack, ILogger<CardUpdater> logger)
{
    /// <summary>
    /// Marks the account's last card resolved. Only Slack cards can be edited; for the others the
    /// resolution is recorded and nothing is sent, since a second message about a solved problem is noise.
    /// </summary>
    public async Task<SentCard?> ResolveAsync(DeliveryApproved resolution, CancellationToken ct)
    {
        if (await deliveries.FindLatestCardAsync(resolution.Delta.PushId, resolution.Delta.AccountKey, ct) is not { Card: { Channel: "slack", Card: { } card } sent })
        {
            return null;
        }

        var updated = SlackCard.Resolved(card, resolution);
        updated["channel"] = sent.Destination;
        updated["ts"] = sent.MessageId;
        var response = await slack.UpdateMessageAsync(updated, ct);
        if (!response.Ok)
        {
            throw SlackErrors.ToException("chat.update", sent.Destination, response.Error);
        }

        return sent with { Card = updated };
    }

    public async Task ApplyAsync(CardActioned action, CancellationToken ct)
    {
        if (action.Action == CardAction.Opened)
        {
            // Opening the account in the CRM is a look, not an answer: the card keeps its buttons.
            return;
        }

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
