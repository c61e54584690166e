using System.Text.Json.Nodes;
using Refit;

namespace ContextPush.Dispatcher.Slack;

/// <summary>The parts of Slack's Web API the Dispatcher calls.</summary>
public interface ISlackApi
{
    /// <summary>https://api.slack.com/methods/chat.postMessage: answers 200 with ok=false on errors.</summary>
    [Post("/chat.postMessage")]
    Task<SlackResponse> PostMessageAsync([Body] JsonObject message, CancellationToken ct);

    /// <summary>https://api.slack.com/methods/chat.update: replaces a message the bot posted (channel + ts).</summary>
    [Post("/chat.update")]
    Task<SlackResponse> UpdateMessageAsync([Body] JsonObject message, CancellationToken ct);

    /// <summary>
    /// https://api.slack.com/methods/conversations.history: a conversation's messages newest first,
    /// between oldest and latest (Unix seconds), paged by cursor; metadata only when asked for.
    /// Needs channels:history (groups:history, im:history for private channels and DMs).
    /// </summary>
    [Get("/conversations.history")]
    Task<SlackHistory> HistoryAsync(string channel, string oldest, string latest, int limit, string? cursor,
        [AliasAs("include_all_metadata")] string includeAllMetadata, CancellationToken ct);

    /// <summary>https://api.slack.com/methods/conversations.open: the DM conversation with a user (its D… id).</summary>
    [Post("/conversations.open")]
    Task<SlackOpened> OpenConversationAsync([Body] JsonObject request, CancellationToken ct);
}

/// <summary>Slack's response envelope: <c>ok</c>, and <c>error</c> when not ok.</summary>
public sealed record SlackResponse(bool Ok, string? Error, string? Channel, string? Ts);

/// <summary>conversations.history's answer.</summary>
public sealed record SlackHistory(bool Ok, string? Error, IReadOnlyList<SlackHistoryMessage>? Messages, bool HasMore, SlackResponseMetadata? ResponseMetadata);

public sealed record SlackHistoryMessage(string? Ts, SlackMessageMetadata? Metadata);

/// <summary>Message metadata as posted with chat.postMessage: an event type and a payload of our own.</summary>
public sealed record SlackMessageMetadata(string? EventType, JsonObject? EventPayload);

public sealed record SlackResponseMetadata(string? NextCursor);

/// <summary>conversations.open's answer.</summary>
public sealed record SlackOpened(bool Ok, string? Error, SlackConversation? Channel);

public sealed record SlackConversation(string Id);
