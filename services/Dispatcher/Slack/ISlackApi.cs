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
}

/// <summary>Slack's response envelope: <c>ok</c>, and <c>error</c> when not ok.</summary>
public sealed record SlackResponse(bool Ok, string? Error, string? Channel, string? Ts);
