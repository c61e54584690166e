using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace ContextPush.Testing.Fakes;

/// <summary>
/// A local stand-in for Slack's Web API that behaves as Slack documents it: bearer-token auth,
/// HTTP 200 with <c>{"ok":false,"error":"…"}</c> for API errors, <c>ts</c> ids for messages, and a
/// record of every call so tests can await and inspect them.
/// </summary>
public sealed class FakeSlack : IAsyncDisposable
{
    private WebApplication _app = null!;
    private readonly Channel<JsonObject> _posted = Channel.CreateUnbounded<JsonObject>();
    private readonly Channel<JsonObject> _updated = Channel.CreateUnbounded<JsonObject>();
    private readonly Channel<JsonObject> _held = Channel.CreateUnbounded<JsonObject>();
    private readonly ConcurrentDictionary<string, string> _timestamps = new();
    private readonly ConcurrentQueue<(decimal Ts, string Conversation, JsonObject Body)> _history = new();
    private long _sequence;

    private FakeSlack(string token) => Token = token;

    public string Token { get; }

    /// <summary>The Web API root, as Slack's https://slack.com/api/.</summary>
    public Uri BaseUrl { get; private set; } = null!;

    /// <summary>Every accepted chat.postMessage body, in arrival order.</summary>
    public ConcurrentQueue<JsonObject> Messages { get; } = new();

    /// <summary>When each accepted chat.postMessage was taken, in arrival order.</summary>
    public ConcurrentQueue<DateTimeOffset> PostedAt { get; } = new();

    /// <summary>The conversation of every conversations.history call.</summary>
    public ConcurrentQueue<string> HistoryCalls { get; } = new();

    /// <summary>Every accepted chat.update body, in arrival order.</summary>
    public ConcurrentQueue<JsonObject> Updates { get; } = new();

    /// <summary>Every chat.postMessage call as it arrived (accepted or not), with the fake's clock: for pacing checks.</summary>
    public ConcurrentQueue<(DateTimeOffset At, string? Channel, int Status)> Calls { get; } = new();

    /// <summary>Channels that answer with Slack's error for them, e.g. channel_not_found, not_in_channel.</summary>
    public ConcurrentDictionary<string, string> ChannelErrors { get; } = new();

    private int _rateLimited;
    private int _serverErrors;
    private int _retryAfterSeconds;
    private int _violations;
    private readonly ConcurrentDictionary<string, Queue<DateTimeOffset>> _recentPosts = new();

    /// <summary>The next <paramref name="count"/> calls answer HTTP 429 with Retry-After, as Slack's rate limiter does.</summary>
    public void RateLimitNext(int count, int retryAfterSeconds)
    {
        _retryAfterSeconds = retryAfterSeconds;
        Interlocked.Exchange(ref _rateLimited, count);
    }

    /// <summary>Until then every chat.postMessage answers HTTP 500, as Slack does when it stumbles.</summary>
    public DateTimeOffset ServerErrorsUntil { get; set; }

    /// <summary>Until then every chat.postMessage answers 429 ratelimited with <see cref="RateLimitRetryAfter"/>.</summary>
    public DateTimeOffset RateLimitedUntil { get; set; }

    public int RateLimitRetryAfter { get; set; } = 1;

    /// <summary>
    /// Slack unreachable: the listener closes, so every connection is refused, and opens again on the
    /// same port after <paramref name="outage"/>. Answers when Slack is back.
    /// </summary>
    public async Task UnreachableForAsync(TimeSpan outage)
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        await Task.Delay(outage);
        (_app, _) = await LoopbackWebApp.StartAsync(Map, BaseUrl.Port);
    }

    /// <summary>The next <paramref name="count"/> calls answer HTTP 500.</summary>
    public void FailNext(int count) => Interlocked.Exchange(ref _serverErrors, count);

    /// <summary>
    /// Slack's limit on chat.postMessage per channel, when set: a post beyond this many in any one
    /// second is answered 429 ratelimited with Retry-After, as Slack does, and counted as a violation.
    /// </summary>
    public int? PostsPerSecondPerChannel { get; set; }

    /// <summary>Posts refused for exceeding <see cref="PostsPerSecondPerChannel"/>.</summary>
    public int RateViolations => _violations;

    /// <summary>While set, chat.postMessage takes the card only once the test completes it: a slow Slack.</summary>
    public TaskCompletionSource? HoldPosts { get; set; }

    /// <summary>While set, chat.update answers only once the test completes it: a slow Slack.</summary>
    public TaskCompletionSource? HoldUpdates { get; set; }

    /// <summary>The workspace's members for users.lookupByEmail: email to user id.</summary>
    public ConcurrentDictionary<string, string> Users { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Trouble for users.lookupByEmail, and its call log.</summary>
    public FaultPlan LookupFaults { get; } = new();

    /// <summary>Calls refused for auth or arguments, with Slack's error code.</summary>
    public ConcurrentQueue<string> Errors { get; } = new();

    public static async Task<FakeSlack> StartAsync(string token)
    {
        var slack = new FakeSlack(token);
        var (app, address) = await LoopbackWebApp.StartAsync(slack.Map);
        slack._app = app;
        slack.BaseUrl = new Uri(address, "api/");
        return slack;
    }

    private void Map(WebApplication app)
    {
        app.MapPost("/api/chat.postMessage", PostMessageAsync);
        app.MapPost("/api/chat.update", UpdateAsync);
        app.MapGet("/api/users.lookupByEmail", LookupByEmailAsync);
        app.MapGet("/api/conversations.history", History);
        app.MapPost("/api/conversations.open", OpenConversationAsync);
    }

    /// <summary>Waits for the next posted message matching <paramref name="match"/>.</summary>
    public Task<JsonObject> NextMessageAsync(Func<JsonObject, bool> match, TimeSpan timeout) => NextAsync(_posted, "chat.postMessage", match, timeout);

    /// <summary>Waits for the next accepted chat.update matching <paramref name="match"/>.</summary>
    public Task<JsonObject> NextUpdateAsync(Func<JsonObject, bool> match, TimeSpan timeout) => NextAsync(_updated, "chat.update", match, timeout);

    /// <summary>Waits for the next chat.update matching <paramref name="match"/> that arrived while <see cref="HoldUpdates"/> holds it.</summary>
    public Task<JsonObject> NextHeldUpdateAsync(Func<JsonObject, bool> match, TimeSpan timeout) => NextAsync(_held, "held chat.update", match, timeout);

    private async Task<JsonObject> NextAsync(Channel<JsonObject> calls, string method, Func<JsonObject, bool> match, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            while (true)
            {
                var message = await calls.Reader.ReadAsync(cts.Token);
                if (match(message))
                {
                    return message;
                }
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"No matching {method} within {timeout.TotalSeconds:0}s; {Messages.Count} posted, errors: {string.Join(", ", Errors)}");
        }
    }

    /// <summary>The bearer token and JSON body every Web API method checks, or Slack's error for them.</summary>
    private async Task<(JsonObject? Body, IResult? Error)> ReadAuthorizedAsync(HttpRequest request)
    {
        var auth = request.Headers.Authorization.ToString();
        if (string.IsNullOrEmpty(auth))
        {
            return (null, Error("not_authed"));
        }

        if (auth != $"Bearer {Token}")
        {
            return (null, Error("invalid_auth"));
        }

        try
        {
            return await JsonNode.ParseAsync(request.Body) is JsonObject body ? (body, null) : (null, Error("invalid_json"));
        }
        catch (System.Text.Json.JsonException)
        {
            return (null, Error("invalid_json"));
        }
    }

    private async Task<IResult> UpdateAsync(HttpRequest request)
    {
        var (body, error) = await ReadAuthorizedAsync(request);
        if (error is not null)
        {
            return error;
        }

        if (HoldUpdates is { } hold)
        {
            await _held.Writer.WriteAsync(body!);
            await hold.Task;
        }

        var ts = (string?)body!["ts"];
        if (ts is null || !_timestamps.TryGetValue(ts, out var channel) || channel != (string?)body["channel"])
        {
            // Slack's answer for a ts that is not a message of this bot in that channel.
            return Error("message_not_found");
        }

        Updates.Enqueue(body);
        await _updated.Writer.WriteAsync(body);
        return Results.Json(new { ok = true, channel, ts, text = (string?)body["text"] });
    }

    /// <summary>users.lookupByEmail: a GET with the address as a query argument (Tier 3 rate limit).</summary>
    private async Task<IResult> LookupByEmailAsync(HttpContext context, string? email)
    {
        if (await LookupFaults.NextAsync(context, () => new { ok = false, error = "ratelimited" }, _ => new { ok = false, error = "internal_error" }) is { } fault)
        {
            return fault;
        }

        var auth = context.Request.Headers.Authorization.ToString();
        if (auth != $"Bearer {Token}")
        {
            return Error(string.IsNullOrEmpty(auth) ? "not_authed" : "invalid_auth");
        }

        if (string.IsNullOrEmpty(email))
        {
            return Error("invalid_arguments");
        }

        return Users.TryGetValue(email, out var id)
            ? Results.Json(new { ok = true, user = new { id, team_id = "T0001", name = email.Split('@')[0], deleted = false, profile = new { email } } })
            : Error("users_not_found");
    }

    private async Task<IResult> PostMessageAsync(HttpRequest request)
    {
        if (DateTimeOffset.UtcNow < ServerErrorsUntil)
        {
            Calls.Enqueue((DateTimeOffset.UtcNow, null, 500));
            return Results.Text("Internal Server Error", statusCode: 500);
        }

        if (DateTimeOffset.UtcNow < RateLimitedUntil)
        {
            Calls.Enqueue((DateTimeOffset.UtcNow, null, 429));
            request.HttpContext.Response.Headers.RetryAfter = RateLimitRetryAfter.ToString(CultureInfo.InvariantCulture);
            return Results.Json(new { ok = false, error = "ratelimited" }, statusCode: 429);
        }

        if (Interlocked.Decrement(ref _rateLimited) >= 0)
        {
            Calls.Enqueue((DateTimeOffset.UtcNow, null, 429));
            request.HttpContext.Response.Headers.RetryAfter = _retryAfterSeconds.ToString(CultureInfo.InvariantCulture);
            return Results.Json(new { ok = false, error = "ratelimited" }, statusCode: 429);
        }

        if (Interlocked.Decrement(ref _serverErrors) >= 0)
        {
            Calls.Enqueue((DateTimeOffset.UtcNow, null, 500));
            return Results.Text("Internal Server Error", statusCode: 500);
        }

        var (body, error) = await ReadAuthorizedAsync(request);
        if (PostsPerSecondPerChannel is { } limit && (string?)body?["channel"] is { } paced && !WithinLimit(paced, limit))
        {
            Interlocked.Increment(ref _violations);
            Calls.Enqueue((DateTimeOffset.UtcNow, paced, 429));
            request.HttpContext.Response.Headers.RetryAfter = "1";
            return Results.Json(new { ok = false, error = "ratelimited" }, statusCode: 429);
        }

        Calls.Enqueue((DateTimeOffset.UtcNow, (string?)body?["channel"], 200));
        if (HoldPosts is { } hold)
        {
            await hold.Task;
        }

        if (error is not null)
        {
            return error;
        }

        if (body is null || string.IsNullOrEmpty((string?)body["channel"]))
        {
            return Error("channel_not_found");
        }

        if (ChannelErrors.TryGetValue((string)body["channel"]!, out var channelError))
        {
            return Error(channelError);
        }

        if (body["blocks"] is JsonArray { Count: > 50 })
        {
            return Error("invalid_blocks");
        }

        if (string.IsNullOrEmpty((string?)body["text"]) && body["blocks"] is null)
        {
            return Error("no_text");
        }

        var ts = string.Create(CultureInfo.InvariantCulture, $"{DateTimeOffset.UtcNow.ToUnixTimeSeconds()}.{Interlocked.Increment(ref _sequence):000000}");
        // A DM to a user id is answered with the conversation's own id, as Slack does.
        var requested = (string)body["channel"]!;
        var conversation = requested.StartsWith('U') ? "D" + requested[1..] : requested;
        _timestamps[ts] = conversation;
        Messages.Enqueue(body);
        PostedAt.Enqueue(DateTimeOffset.UtcNow);
        _history.Enqueue((decimal.Parse(ts, CultureInfo.InvariantCulture), conversation, body));
        await _posted.Writer.WriteAsync(body);
        return Results.Json(new { ok = true, channel = conversation, ts, message = new { text = (string?)body["text"], ts } });
    }

    /// <summary>
    /// conversations.history as Slack documents it: newest first, strictly between oldest and latest,
    /// <c>limit</c> per page (at most 999) with a cursor, metadata only with include_all_metadata.
    /// </summary>
    private IResult History(HttpContext context, string? channel, string? oldest, string? latest, int? limit, string? cursor,
        [Microsoft.AspNetCore.Mvc.FromQuery(Name = "include_all_metadata")] string? includeAllMetadata)
    {
        HistoryCalls.Enqueue(channel ?? "");
        var auth = context.Request.Headers.Authorization.ToString();
        if (auth != $"Bearer {Token}")
        {
            return Error(string.IsNullOrEmpty(auth) ? "not_authed" : "invalid_auth");
        }

        if (string.IsNullOrEmpty(channel) || channel.StartsWith('#'))
        {
            return Error("channel_not_found");
        }

        static decimal Seconds(string? value, decimal otherwise) =>
            decimal.TryParse(value, NumberStyles.Number, CultureInfo.InvariantCulture, out var s) ? s : otherwise;
        var from = Seconds(oldest, 0);
        var to = Seconds(latest, decimal.MaxValue);
        var skip = int.TryParse(cursor, CultureInfo.InvariantCulture, out var c) ? c : 0;
        var size = Math.Clamp(limit ?? 100, 1, 999);
        var matching = _history.Where(m => m.Conversation == channel && m.Ts > from && m.Ts < to).OrderByDescending(m => m.Ts).ToList();
        var page = matching.Skip(skip).Take(size).Select(m =>
        {
            var message = new JsonObject { ["type"] = "message", ["ts"] = m.Ts.ToString("0.000000", CultureInfo.InvariantCulture), ["text"] = (string?)m.Body["text"] };
            if (includeAllMetadata is "true" or "1" && m.Body["metadata"] is { } metadata)
            {
                message["metadata"] = metadata.DeepClone();
            }

            return message;
        }).ToList();
        var more = skip + size < matching.Count;
        return Results.Json(new JsonObject
        {
            ["ok"] = true,
            ["messages"] = new JsonArray([.. page]),
            ["has_more"] = more,
            ["response_metadata"] = new JsonObject { ["next_cursor"] = more ? (skip + size).ToString(CultureInfo.InvariantCulture) : "" },
        });
    }

    /// <summary>conversations.open with one user: the DM's D… id, the same one chat.postMessage answers for that user.</summary>
    private async Task<IResult> OpenConversationAsync(HttpRequest request)
    {
        var (body, error) = await ReadAuthorizedAsync(request);
        if (error is not null)
        {
            return error;
        }

        return (string?)body!["users"] is { Length: > 1 } user && user[0] is 'U' or 'W'
            ? Results.Json(new { ok = true, channel = new { id = "D" + user[1..] } })
            : Error("user_not_found");
    }

    private bool WithinLimit(string channel, int limit)
    {
        var recent = _recentPosts.GetOrAdd(channel, _ => new Queue<DateTimeOffset>());
        lock (recent)
        {
            var now = DateTimeOffset.UtcNow;
            while (recent.Count > 0 && now - recent.Peek() >= TimeSpan.FromSeconds(1))
            {
                recent.Dequeue();
            }

            if (recent.Count >= limit)
            {
                return false;
            }

            recent.Enqueue(now);
            return true;
        }
    }

    private IResult Error(string error)
    {
        Errors.Enqueue(error);
        return Results.Json(new { ok = false, error });
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
