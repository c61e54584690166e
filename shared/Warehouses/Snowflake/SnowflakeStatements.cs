using System.Net;
using System.Text.Json;
using ContextPush.Warehouses.Rest;
using Refit;

namespace ContextPush.Warehouses.Snowflake;

/// <summary>
/// Runs one statement through the SQL API: submitted asynchronously with an idempotent request id,
/// polled until it finishes, its partitions fetched one by one; each call patient with what passes
/// (<see cref="PatientHttp"/>). A statement Snowflake refuses comes back as <see cref="WarehouseRefusal"/>.
/// </summary>
public sealed class SnowflakeStatements(ISnowflakeSqlApi api, SnowflakeSettings settings, SnowflakeKeyPairToken token, TimeProvider clock)
{
    private readonly PatientHttp _http = new($"Snowflake at {settings.Host.Host}", clock);
    private static readonly TimeSpan LongestPoll = TimeSpan.FromSeconds(1);

    /// <summary>
    /// A client for the named warehouse's connection string, with the HTTP client it owns (dispose it
    /// when the process is done with the warehouse).
    /// </summary>
    public static (SnowflakeStatements Statements, IDisposable Http) Create(string name, string connectionString, TimeProvider clock)
    {
        var settings = SnowflakeSettings.Parse(name, connectionString);
        var http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
        {
            BaseAddress = settings.Host,
            Timeout = TimeSpan.FromSeconds(100),
        };
        var api = RestService.For<ISnowflakeSqlApi>(http);
        return (new SnowflakeStatements(api, settings, new SnowflakeKeyPairToken(settings, clock), clock), http);
    }

    public async Task<SnowflakeResult> ExecuteAsync(string sql, TimeSpan timeout, CancellationToken ct,
        IReadOnlyDictionary<string, SnowflakeBinding>? bindings = null)
    {
        var request = new SnowflakeStatementRequest(sql, Math.Max(1, (int)Math.Ceiling(timeout.TotalSeconds)), settings.Database, settings.Schema,
            settings.Warehouse, settings.Role, new Dictionary<string, string> { ["MULTI_STATEMENT_COUNT"] = "1" }, bindings);
        var requestId = Guid.NewGuid().ToString();
        var (status, body) = await _http.SendAsync(c => api.SubmitAsync(requestId, request, token.Authorization(), c), null, ct);
        var handle = body.RootElement.TryGetProperty("statementHandle", out var h) ? h.GetString() : null;
        var poll = TimeSpan.FromMilliseconds(50);
        try
        {
            while (status == HttpStatusCode.Accepted)
            {
                body.Dispose();
                await Task.Delay(poll, clock, ct);
                poll = TimeSpan.FromTicks(Math.Min(poll.Ticks * 2, LongestPoll.Ticks));
                (status, body) = await _http.SendAsync(c => api.GetAsync(handle!, null, token.Authorization(), c), null, ct);
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
        var (status, body) = await _http.SendAsync(c => api.GetAsync(handle, partition, token.Authorization(), c), null, ct);
        return status == HttpStatusCode.OK ? body : throw Refusal(status, body);
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

    private static WarehouseRefusal Refusal(HttpStatusCode status, JsonDocument body)
    {
        using (body)
        {
            var root = body.RootElement;
            var code = root.TryGetProperty("code", out var c) ? c.GetString() ?? "" : "";
            var message = root.TryGetProperty("message", out var m) ? m.GetString() ?? "" : "";
            return WarehouseRefusal.Answered("Snowflake", status, code, message.Length > 0 ? message : $"HTTP {(int)status}");
        }
    }
}
