using System.Text.Json.Nodes;
using Refit;

namespace ContextPush.Dispatcher.Teams;

/// <summary>A Teams Workflows webhook ("Post to a channel when a webhook request is received"): the whole URL is the secret.</summary>
public interface ITeamsWebhookApi
{
    /// <summary>Answers the raw response: a webhook's refusal is data (status and body) to record, not an exception.</summary>
    [Post("/{**path}")]
    Task<HttpResponseMessage> PostAsync(string path, [Query] IDictionary<string, string> query, [Body] JsonObject message, CancellationToken ct);
}
