using System.Globalization;
using System.Net;
using System.Text.Json;
using ContextPush.Warehouses.Rest;
using Refit;

namespace ContextPush.Warehouses.BigQuery;

/// <summary>
/// Runs one query: jobs.query with an idempotent request id and BigQuery's own job timeout, then
/// getQueryResults until the job is complete and page by page after that. Each call is patient with
/// what passes (<see cref="PatientHttp"/>; BigQuery reports its rate limits as 403 rateLimitExceeded
/// too). A query BigQuery refuses comes back as <see cref="WarehouseRefusal"/> (its Code the error's reason).
/// </summary>
public sealed class BigQueryJobs(IBigQueryApi api, BigQuerySettings settings, GoogleServiceAccountToken token, TimeProvider clock)
{
    private const int PollMs = 10_000;

    /// <summary>
    /// A client for the named warehouse's connection string (BigQuery and the account's token endpoint),
    /// with the HTTP handler it owns (dispose it when the process is done with the warehouse).
    /// </summary>
    public static (BigQueryJobs Jobs, IDisposable Http) Create(string name, string connectionString, TimeProvider clock)
    {
        var settings = BigQuerySettings.Parse(name, connectionString);
        var handler = new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) };
        var http = new HttpClient(handler, disposeHandler: false) { BaseAddress = settings.Host, Timeout = TimeSpan.FromSeconds(100) };
        var tokens = new HttpClient(handler, disposeHandler: false) { BaseAddress = new Uri(settings.TokenUri.GetLeftPart(UriPartial.Authority)), Timeout = TimeSpan.FromSeconds(30) };
        var token = new GoogleServiceAccountToken(RestService.For<IGoogleTokenApi>(tokens), settings, clock);
        return (new BigQueryJobs(RestService.For<IBigQueryApi>(http), settings, token, clock), handler);
    }
    private readonly PatientHttp _http = new($"BigQuery at {settings.Host.Host}", clock);

    /// <summary>The first page of the finished job's rows, with its schema and the job to ask for the rest.</summary>
    public async Task<BigQueryPage> ExecuteAsync(string sql, TimeSpan timeout, CancellationToken ct, IReadOnlyList<BigQueryParameter>? parameters = null)
    {
        var request = new BigQueryQueryRequest(sql, ((long)Math.Max(1, timeout.TotalMilliseconds)).ToString(CultureInfo.InvariantCulture),
            Guid.NewGuid().ToString(), settings.Location, MaxResults: null,
            ParameterMode: parameters is null ? null : "NAMED", QueryParameters: parameters,
            DefaultDataset: settings.Dataset is { } dataset ? new BigQueryDatasetReference(settings.Project, dataset) : null);
        var page = await SendAsync(async c => await api.QueryAsync(settings.Project, request, await token.AuthorizationAsync(c), c), ct);
        while (!page.Complete)
        {
            var job = page.JobId;
            page.Body.Dispose();
            page = await SendAsync(async c => await api.GetQueryResultsAsync(settings.Project, job, null, null, PollMs, page.Location,
                await token.AuthorizationAsync(c), c), ct);
        }

        return page;
    }

    /// <summary>The page after <paramref name="previous"/>, or null when it was the last.</summary>
    public async Task<BigQueryPage?> NextAsync(BigQueryPage previous, CancellationToken ct) => previous.PageToken is not { } pageToken
        ? null
        : await SendAsync(async c => await api.GetQueryResultsAsync(settings.Project, previous.JobId, pageToken, null, PollMs, previous.Location,
            await token.AuthorizationAsync(c), c), ct);

    private async Task<BigQueryPage> SendAsync(Func<CancellationToken, Task<HttpResponseMessage>> call, CancellationToken ct)
    {
        var (status, body) = await _http.SendAsync(call, IsRateLimit, ct);
        return status == HttpStatusCode.OK ? BigQueryPage.Read(body) : throw Refusal(status, body);
    }

    private static bool IsRateLimit(HttpStatusCode status, JsonDocument body) =>
        status == HttpStatusCode.Forbidden && Reason(body.RootElement) is "rateLimitExceeded";

    private static string? Reason(JsonElement root) =>
        root.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object
        && error.TryGetProperty("errors", out var errors) && errors.GetArrayLength() > 0 && errors[0].TryGetProperty("reason", out var reason)
            ? reason.GetString()
            : null;

    private static WarehouseRefusal Refusal(HttpStatusCode status, JsonDocument body)
    {
        using (body)
        {
            var root = body.RootElement;
            var message = root.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object && error.TryGetProperty("message", out var m)
                ? m.GetString() ?? ""
                : root.TryGetProperty("message", out var plain) ? plain.GetString() ?? "" : "";
            return WarehouseRefusal.Answered("BigQuery", status, Reason(root) ?? "", message.Length > 0 ? message : $"HTTP {(int)status}");
        }
    }
}
