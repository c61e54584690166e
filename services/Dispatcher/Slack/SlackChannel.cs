using ContextPush.Contracts;
using ContextPush.Dispatcher.Delivery;
using ContextPush.PushFiles;
using Microsoft.Extensions.Options;

namespace ContextPush.Dispatcher.Slack;

/// <summary>Posts the card with chat.postMessage: to the push's channel, else the owner by DM, else the fallback channel.</summary>
public sealed class SlackChannel(ISlackApi slack, DestinationPacer pacer, IOptions<DispatcherOptions> options, TimeProvider clock) : ICardChannel
{
    public async Task<SentCard> SendAsync(DeliveryApproved approved, CancellationToken ct)
    {
        var settings = PushSettingsReader.Of(approved.Delta).Delivery;
        var destination = settings.SlackChannel
            ?? approved.Context.Owner?.SlackUserId
            ?? settings.SlackFallbackChannel
            ?? options.Value.Slack.DefaultChannel
            ?? throw new DeliveryRejectedException("slack", null,
                $"push {approved.Delta.PushId}: no Slack destination: the owner has no Slack id and neither " +
                "delivery.slack.channel, delivery.slack.fallback_channel nor Dispatcher:Slack:DefaultChannel is set");

        await pacer.WaitTurnAsync("slack", destination, options.Value.Slack.MessagesPerSecondPerChannel, ct);
        var card = SlackCard.Build(approved, destination, clock.GetUtcNow());
        var response = await slack.PostMessageAsync(card, ct);
        if (!response.Ok)
        {
            throw SlackErrors.ToException("chat.postMessage", destination, response.Error);
        }

        // chat.update needs the conversation id Slack answered with (a DM's D… id, not the user's U… id).
        return new SentCard("slack", response.Channel ?? destination, response.Ts ?? "", card);
    }

    /// <summary>A digest goes where its first account's card would have gone (the push's channel, else the owner by DM).</summary>
    public async Task<SentCard> SendDigestAsync(DigestApproved digest, CancellationToken ct)
    {
        var settings = PushSettingsReader.Of(digest.Items[0].Delta).Delivery;
        var destination = settings.SlackChannel ?? digest.Owner?.SlackUserId
            ?? settings.SlackFallbackChannel ?? options.Value.Slack.DefaultChannel
            ?? throw new DeliveryRejectedException("slack", null, $"push {digest.PushId}: no Slack destination for the digest");
        await pacer.WaitTurnAsync("slack", destination, options.Value.Slack.MessagesPerSecondPerChannel, ct);
        var card = SlackCard.Digest(digest, destination);
        var response = await slack.PostMessageAsync(card, ct);
        if (!response.Ok)
        {
            throw SlackErrors.ToException("chat.postMessage", destination, response.Error);
        }

        return new SentCard("slack", response.Channel ?? destination, response.Ts ?? "", card);
    }
}
