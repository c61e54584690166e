using System.Globalization;
using System.Net;
using System.Text.Json;
using ContextPush.Detector.Warehouses.Rest;

namespace ContextPush.Detector.Warehouses.BigQuery;

/// <summary>
/// Runs one query: jobs.query with an idempotent request id and BigQuery's own job timeout, then
/// getQueryResults until the job is complete and page by page after that. Each call is patient with
/// what passes (<see cref="PatientHttp"/>; BigQuery reports its rate limits as 403 rateLimitExceeded
/// too). A query BigQuery refuses comes back as <see cref="BigQueryRefusal"/>.
/// </summary>
public sealed class BigQueryJobs(IBigQueryApi api, BigQuerySettings settings, GoogleServiceAccountToken token, TimeProvider clock)
{
    private const int PollMs = 10_000;
    private readonly PatientHttp _http = new($"BigQuery at {settings.Host.Host}", clock);

    /// <summary>The first page of the finished job's rows, with its schema and the job to ask for the rest.</summary>
    public async Task<BigQueryPage> ExecuteAsync(string sql, TimeSpan timeout, CancellationToken ct)
    {
        var request = new BigQueryQueryRequest(sql, ((long)Math.Max(1, timeout.TotalMilliseconds)).ToString(CultureInfo.InvariantCulture),
            Guid.NewGuid().ToString(), settings.Location, MaxResults: null);
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

    private static BigQueryRefusal Refusal(HttpStatusCode status, JsonDocument body)
    {
        using (body)
        {
            var root = body.RootElement;
            var message = root.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object && error.TryGetProperty("message", out var m)
                ? m.GetString() ?? ""
                : root.TryGetProperty("message", out var plain) ? plain.GetString() ?? "" : "";
            return new BigQueryRefusal(status, Reason(root) ?? "", message.Length > 0 ? message : $"HTTP {(int)status}");
        }
    }
}
