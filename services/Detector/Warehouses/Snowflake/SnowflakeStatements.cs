using System.Net;
using System.Text.Json;

namespace ContextPush.Detector.Warehouses.Snowflake;

/// <summary>
/// Runs one statement through the SQL API: submitted asynchronously with an idempotent request id,
/// polled until it finishes, its partitions fetched one by one. Rate limits (429), Snowflake's own
/// stumbles (5xx) and lost connections are waited out (Retry-After when given, else growing pauses);
/// past <see cref="Attempts"/> tries they become <see cref="WarehouseUnavailableException"/>, which a
/// run tries again. A statement Snowflake refuses comes back as <see cref="SnowflakeRefusal"/>.
/// </summary>
public sealed class SnowflakeStatements(ISnowflakeSqlApi api, SnowflakeSettings settings, SnowflakeKeyPairToken token, TimeProvider clock)
{
    public const int Attempts = 6;
    private static readonly TimeSpan FirstPause = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan LongestPause = TimeSpan.FromSeconds(8);
    private static readonly TimeSpan LongestPoll = TimeSpan.FromSeconds(1);

    public async Task<SnowflakeResult> ExecuteAsync(string sql, TimeSpan timeout, CancellationToken ct)
    {
        var request = new SnowflakeStatementRequest(sql, Math.Max(1, (int)Math.Ceiling(timeout.TotalSeconds)), settings.Database, settings.Schema,
            settings.Warehouse, settings.Role, new Dictionary<string, string> { ["MULTI_STATEMENT_COUNT"] = "1" });
        var requestId = Guid.NewGuid().ToString();
        var (status, body) = await SendAsync(c => api.SubmitAsync(requestId, request, token.Authorization(), c), ct);
        var handle = body.RootElement.TryGetProperty("statementHandle", out var h) ? h.GetString() : null;
        var poll = TimeSpan.FromMilliseconds(50);
        try
        {
            while (status == HttpStatusCode.Accepted)
            {
                body.Dispose();
                await Task.Delay(poll, clock, ct);
                poll = TimeSpan.FromTicks(Math.Min(poll.Ticks * 2, LongestPoll.Ticks));
                (status, body) = await SendAsync(c => api.GetAsync(handle!, null, token.Authorization(), c), ct);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested && handle is not null)
        {
            await CancelQuietlyAsync(handle);
            throw;
        }

        return status == HttpStatusCode.OK ? SnowflakeResult.Read(body) : throw Refusal(status, body);
    }

    /// <summary>The rows of partition <paramref name="partition"/> (1 and up: the first came with the result).</summary>
    public async Task<JsonDocument> PartitionAsync(string handle, int partition, CancellationToken ct)
    {
        var (status, body) = await SendAsync(c => api.GetAsync(handle, partition, token.Authorization(), c), ct);
        return status == HttpStatusCode.OK ? body : throw Refusal(status, body);
    }

    private async Task<(HttpStatusCode, JsonDocument)> SendAsync(Func<CancellationToken, Task<HttpResponseMessage>> call, CancellationToken ct)
    {
        var pause = FirstPause;
        for (var attempt = 1; ; attempt++)
        {
            string problem;
            TimeSpan? retryAfter = null;
            try
            {
                using var response = await call(ct);
                if (response.StatusCode is not (HttpStatusCode.TooManyRequests or >= HttpStatusCode.InternalServerError))
                {
                    var text = await response.Content.ReadAsStringAsync(ct);
                    return (response.StatusCode, Parse(text));
                }

                problem = $"HTTP {(int)response.StatusCode} {response.ReasonPhrase}";
                retryAfter = response.Headers.RetryAfter switch
                {
                    { Delta: { } delta } => delta,
                    { Date: { } date } => date - clock.GetUtcNow(),
                    _ => null,
                };
            }
            catch (HttpRequestException e)
            {
                problem = e.Message;
            }
            catch (TaskCanceledException e) when (!ct.IsCancellationRequested)
            {
                problem = $"no answer in time ({e.Message})";
            }

            if (attempt >= Attempts)
            {
                throw new WarehouseUnavailableException($"Snowflake at {settings.Host.Host} is unavailable after {Attempts} tries: {problem}", null);
            }

            var wait = retryAfter is { } given && given > TimeSpan.Zero ? given : pause;
            pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, LongestPause.Ticks));
            await Task.Delay(wait, clock, ct);
        }
    }

    private async Task CancelQuietlyAsync(string handle)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            using var _ = await api.CancelAsync(handle, token.Authorization(), timeout.Token);
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException)
        {
            // The statement ends at its own timeout anyway.
        }
    }

    private static JsonDocument Parse(string text)
    {
        try
        {
            return JsonDocument.Parse(text.Length == 0 ? "{}" : text);
        }
        catch (JsonException)
        {
            return JsonDocument.Parse(JsonSerializer.Serialize(new { message = text }));
        }
    }

    private static SnowflakeRefusal Refusal(HttpStatusCode status, JsonDocument body)
    {
        using (body)
        {
            var root = body.RootElement;
            var code = root.TryGetProperty("code", out var c) ? c.GetString() ?? "" : "";
            var message = root.TryGetProperty("message", out var m) ? m.GetString() ?? "" : "";
            return new SnowflakeRefusal(status, code, message.Length > 0 ? message : $"HTTP {(int)status}");
        }
    }
}
