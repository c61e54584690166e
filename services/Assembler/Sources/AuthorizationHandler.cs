using System.Net.Http.Headers;

namespace ContextPush.Assembler.Sources;

/// <summary>Adds a source's credentials to each call, read from options at send time, so they never appear in a URL or a log.</summary>
public sealed class AuthorizationHandler(Func<AuthenticationHeaderValue?> header) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        request.Headers.Authorization = header();
        return base.SendAsync(request, cancellationToken);
    }
}
