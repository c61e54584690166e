using System.Net.Http.Headers;
using Microsoft.Extensions.Options;

namespace ContextPush.Dispatcher.Slack;

/// <summary>Adds the bot token to every Slack call, so it never appears in a URL or a log line.</summary>
public sealed class SlackBearerTokenHandler(IOptions<DispatcherOptions> options) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", options.Value.Slack.BotToken);
        return base.SendAsync(request, cancellationToken);
    }
}
