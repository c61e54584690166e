using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace ContextPush.Bench.Pipeline;

/// <summary>
/// A fast local Slack Web API for the Dispatcher to post to: the methods a card needs, with the bearer
/// token checked and a fresh <c>ts</c> per message, and nothing slower than the JSON itself.
/// </summary>
internal sealed class SlackStandIn : IAsyncDisposable
{
    private WebApplication _app = null!;
    private long _posted;
    private long _sequence;

    public Uri BaseUrl { get; private set; } = null!;

    public string Token { get; } = "xoxb-bench-" + Guid.NewGuid().ToString("N");

    /// <summary>Cards accepted so far.</summary>
    public long Posted => Interlocked.Read(ref _posted);

    public static async Task<SlackStandIn> StartAsync()
    {
        var slack = new SlackStandIn();
        (slack._app, var address) = await LoopbackApp.StartAsync(app =>
        {
            app.MapPost("/api/chat.postMessage", slack.PostAsync);
            app.MapPost("/api/chat.update", slack.PostAsync);
            app.MapPost("/api/conversations.open", slack.OpenAsync);
            app.MapGet("/api/users.lookupByEmail", () => Results.Json(new { ok = false, error = "users_not_found" }));
        });
        slack.BaseUrl = new Uri(address, "api/");
        return slack;
    }

    private async Task<IResult> PostAsync(HttpRequest request)
    {
        if (request.Headers.Authorization.ToString() != $"Bearer {Token}")
        {
            return Results.Json(new { ok = false, error = "invalid_auth" });
        }

        if (await JsonNode.ParseAsync(request.Body) is not JsonObject body || body["channel"]?.GetValue<string>() is not { } channel)
        {
            return Results.Json(new { ok = false, error = "channel_not_found" });
        }

        Interlocked.Increment(ref _posted);
        var ts = $"1700000000.{Interlocked.Increment(ref _sequence):D6}";
        return Results.Json(new { ok = true, channel, ts });
    }

    private async Task<IResult> OpenAsync(HttpRequest request)
    {
        var body = await JsonNode.ParseAsync(request.Body);
        return Results.Json(new { ok = true, channel = new { id = "D" + (string?)body?["users"] } });
    }

    /// <summary>
    /// The stand-in's own capacity: as many chat.postMessage calls as <paramref name="concurrency"/> clients
    /// can make in <paramref name="duration"/>, each with a card-sized body. Answers calls per second.
    /// </summary>
    public async Task<double> MeasureCapacityAsync(int cardBytes, TimeSpan duration, int concurrency = 16)
    {
        using var http = new HttpClient { BaseAddress = BaseUrl };
        http.DefaultRequestHeaders.Authorization = new("Bearer", Token);
        var card = new JsonObject { ["channel"] = "C0CAPACITY", ["text"] = new string('x', cardBytes) };
        var calls = 0L;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            while (clock.Elapsed < duration)
            {
                using var response = await http.PostAsJsonAsync("chat.postMessage", card);
                response.EnsureSuccessStatusCode();
                Interlocked.Increment(ref calls);
            }
        }));
        return calls / clock.Elapsed.TotalSeconds;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
