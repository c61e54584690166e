using System.Globalization;
using System.Text.Json.Nodes;
using ContextPush.Contracts;
using ContextPush.Dispatcher.Delivery;
using ContextPush.PushFiles;
using Microsoft.Extensions.Options;

namespace ContextPush.Dispatcher.Slack;

/// <summary>Posts the card with chat.postMessage: to the push's channel, else the owner by DM, else the fallback channel.</summary>
public sealed class SlackChannel(ISlackApi slack, DestinationPacer pacer, IOptions<DispatcherOptions> options, TimeProvider clock,
    ILogger<SlackChannel> logger) : ICardChannel
{
    private const int HistoryPageSize = 200;
    private const int MaxHistoryPages = 50;

    private string Destination(DeliveryApproved approved)
    {
        var settings = PushSettingsReader.Of(approved.Delta).Delivery;
        return settings.SlackChannel
            ?? approved.Context.Owner?.SlackUserId
            ?? settings.SlackFallbackChannel
            ?? options.Value.Slack.DefaultChannel
            ?? throw new DeliveryRejectedException("slack", null,
                $"push {approved.Delta.PushId}: no Slack destination: the owner has no Slack id and neither " +
                "delivery.slack.channel, delivery.slack.fallback_channel nor Dispatcher:Slack:DefaultChannel is set");
    }

    /// <summary>
    /// The card of this delta that an attempt which died may have posted, found by its metadata in the
    /// conversation's history while that attempt was sending; null when Slack holds none or cannot tell
    /// (a channel given by name, a missing history scope), and then the card is posted.
    /// </summary>
    public async Task<SentCard?> FindPostedAsync(DeliveryApproved approved, AbandonedAttempt attempt, CancellationToken ct)
    {
        var destination = Destination(approved);
        var conversation = await ConversationOfAsync(destination, ct);
        if (conversation is null)
        {
            logger.LogWarning("The card of {DeltaId} may have been posted to {Destination} by an attempt that died; Slack's history " +
                "can only be read by channel id, so it is posted again (give delivery.slack.channel as an id to avoid this)", approved.DeltaId, destination);
            return null;
        }

        // A margin for the clocks of Slack and PostgreSQL, which need not agree to the second.
        var oldest = UnixSeconds(attempt.From - TimeSpan.FromSeconds(30));
        var latest = UnixSeconds(attempt.To + TimeSpan.FromSeconds(30));
        string? cursor = null;
        for (var page = 0; page < MaxHistoryPages; page++)
        {
            var history = await slack.HistoryAsync(conversation, oldest, latest, HistoryPageSize, cursor, "true", ct);
            if (!history.Ok)
            {
                logger.LogWarning("Could not read the history of {Conversation} to find the card of {DeltaId} ({Error}); it is posted again",
                    conversation, approved.DeltaId, history.Error);
                return null;
            }

            var posted = history.Messages?.FirstOrDefault(m => m.Metadata is { EventType: SlackCard.MetadataEventType } metadata
                && (string?)metadata.EventPayload?["delta_id"] == approved.DeltaId.ToString());
            if (posted?.Ts is { } ts)
            {
                return new SentCard("slack", conversation, ts, SlackCard.Build(approved, destination, clock.GetUtcNow()));
            }

            cursor = history.ResponseMetadata?.NextCursor;
            if (!history.HasMore || string.IsNullOrEmpty(cursor))
            {
                return null;
            }
        }

        return null;
    }

    /// <summary>A channel id as it is, a user's DM by conversations.open; null for a channel name.</summary>
    private async Task<string?> ConversationOfAsync(string destination, CancellationToken ct)
    {
        if (destination.StartsWith('#'))
        {
            return null;
        }

        if (destination[0] is not ('U' or 'W'))
        {
            return destination;
        }

        var opened = await slack.OpenConversationAsync(new JsonObject { ["users"] = destination }, ct);
        return opened is { Ok: true, Channel.Id: var id } ? id : null;
    }

    private static string UnixSeconds(DateTimeOffset at) =>
        (at.ToUnixTimeMilliseconds() / 1000.0).ToString("0.000000", CultureInfo.InvariantCulture);

    public async Task<SentCard> SendAsync(DeliveryApproved approved, CancellationToken ct)
    {
        var destination = Destination(approved);
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

    /// <summary>Posts a message of ContextPush's own (the weekly adoption card) at the destination's pace.</summary>
    public async Task<SentCard> PostAsync(string destination, JsonObject message, CancellationToken ct)
    {
        await pacer.WaitTurnAsync("slack", destination, options.Value.Slack.MessagesPerSecondPerChannel, ct);
        message["channel"] = destination;
        var response = await slack.PostMessageAsync(message, ct);
        if (!response.Ok)
        {
            throw SlackErrors.ToException("chat.postMessage", destination, response.Error);
        }

        return new SentCard("slack", response.Channel ?? destination, response.Ts ?? "", message);
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
