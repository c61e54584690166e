using ContextPush.Contracts;
using ContextPush.Dispatcher.Delivery;
using Microsoft.Extensions.Options;

namespace ContextPush.Dispatcher.Slack;

/// <summary>Posts the card with chat.postMessage: to the push's channel, else the owner by DM, else the fallback channel.</summary>
public sealed class SlackChannel(ISlackApi slack, IOptions<DispatcherOptions> options, TimeProvider clock) : ICardChannel
{
    public async Task<SentCard> SendAsync(DeliveryApproved approved, CancellationToken ct)
    {
        var settings = approved.Delta.Settings;
        var destination = settings.GetValueOrDefault("delivery:slack:channel")
            ?? approved.Context.Owner?.SlackUserId
            ?? settings.GetValueOrDefault("delivery:slack:fallback_channel")
            ?? options.Value.Slack.DefaultChannel
            ?? throw new InvalidDataException(
                $"Push {approved.Delta.PushId}: no Slack destination for delta {approved.DeltaId}: the owner has no Slack id and neither " +
                "delivery.slack.channel, delivery.slack.fallback_channel nor Dispatcher:Slack:DefaultChannel is set");

        var card = SlackCard.Build(approved, destination, clock.GetUtcNow());
        var response = await slack.PostMessageAsync(card, ct);
        if (!response.Ok)
        {
            throw new SlackApiException("chat.postMessage", response.Error ?? "unknown_error");
        }

        // chat.update needs the conversation id Slack answered with (a DM's D… id, not the user's U… id).
        return new SentCard("slack", response.Channel ?? destination, response.Ts ?? "", card);
    }
}
