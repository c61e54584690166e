using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace ContextPush.Testing.Fakes;

/// <summary>
/// A local stand-in for a Teams Workflows webhook: the URL's <c>sig</c> query parameter is its
/// secret (401 without it), the body must be Teams' message envelope with an Adaptive Card
/// attachment (400 with an error body otherwise), and an accepted post answers 202 with no body.
/// </summary>
public sealed class FakeTeamsWebhook : IAsyncDisposable
{
    private const string Path = "/workflows/4f2c1d/triggers/manual/paths/invoke";
    private WebApplication _app = null!;
    private readonly Channel<JsonObject> _posted = Channel.CreateUnbounded<JsonObject>();
    private readonly string _signature = Guid.NewGuid().ToString("N");


    /// <summary>The webhook URL, secret included, as Teams shows it when the workflow is created.</summary>
    public Uri Url { get; private set; } = null!;

    public ConcurrentQueue<JsonObject> Cards { get; } = new();

    public static async Task<FakeTeamsWebhook> StartAsync()
    {
        var teams = new FakeTeamsWebhook();
        var (app, address) = await LoopbackWebApp.StartAsync(app => app.MapPost(Path, teams.ReceiveAsync));
        teams._app = app;
        teams.Url = new Uri($"{address.ToString().TrimEnd('/')}{Path}?api-version=2016-06-01&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig={teams._signature}");
        return teams;
    }

    public async Task<JsonObject> NextCardAsync(Func<JsonObject, bool> match, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        while (true)
        {
            var card = await _posted.Reader.ReadAsync(cts.Token);
            if (match(card))
            {
                return card;
            }
        }
    }

    private async Task<IResult> ReceiveAsync(HttpRequest request)
    {
        if (request.Query["sig"] != _signature || request.Query["api-version"] != "2016-06-01")
        {
            return Results.Json(new { error = new { code = "DirectApiAuthorizationRequired", message = "The request must be authenticated." } }, statusCode: 401);
        }

        var body = await JsonNode.ParseAsync(request.Body) as JsonObject;
        var attachment = body?["attachments"]?[0];
        var card = attachment?["content"];
        if ((string?)body?["type"] != "message" || (string?)attachment?["contentType"] != "application/vnd.microsoft.card.adaptive"
            || (string?)card?["type"] != "AdaptiveCard" || (string?)card?["version"] is not ("1.0" or "1.2" or "1.3" or "1.4"))
        {
            return Results.Json(new { error = new { code = "InvalidRequestContent", message = "The input body for trigger 'manual' of type 'Request' did not match its schema definition." } }, statusCode: 400);
        }

        Cards.Enqueue(body!);
        await _posted.Writer.WriteAsync(body!);
        return Results.Accepted();
    }

    /// <summary>The same webhook with a wrong signature: what a rotated or mistyped URL looks like.</summary>
    public Uri WithWrongSignature() => new(Url.ToString().Replace(_signature, "0000", StringComparison.Ordinal));

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
