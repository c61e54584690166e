using System.Net;
using System.Text.Json;

namespace ContextPush.EndToEndTests.Dashboard;

/// <summary>
/// Reads traces back from the Aspire dashboard's telemetry HTTP API (/api/telemetry/...), which
/// answers in OTLP JSON: what on-call sees, read by a script. The API key is the one the AppHost
/// gave its dashboard; the local launch profile runs it without one.
/// </summary>
public sealed class DashboardTelemetry(Uri dashboard, HttpClient http, string? apiKey = null)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    public Uri Dashboard { get; } = dashboard;

    public async Task<IReadOnlyList<TelemetrySpan>> TraceAsync(string traceId)
    {
        using var response = await GetAsync($"/api/telemetry/traces/{traceId}");
        return response.StatusCode == HttpStatusCode.NotFound ? [] : Spans(await ReadAsync(response));
    }

    public async Task<IReadOnlyList<TelemetrySpan>> SpansAsync(string resource, int limit = 2000)
    {
        using var response = await GetAsync($"/api/telemetry/spans?resource={resource}&limit={limit}");
        return response.StatusCode == HttpStatusCode.NotFound ? [] : Spans(await ReadAsync(response));
    }

    /// <summary>Waits until the trace holds spans tagged with the DeltaId from each of <paramref name="services"/>.</summary>
    public Task<IReadOnlyList<TelemetrySpan>> WaitForDeltaTraceAsync(string traceId, string deltaId, params string[] services) =>
        WaitForTraceAsync(traceId, $"spans of delta {deltaId} from {string.Join(", ", services)}", spans =>
        {
            var seen = spans.Where(s => s.Attributes.GetValueOrDefault("contextpush.delta_id") == deltaId).Select(s => s.Service).ToHashSet();
            return services.All(seen.Contains);
        });

    /// <summary>
    /// Waits until the trace is <paramref name="complete"/>: spans arrive in each service's own export
    /// batches, and Redis spans only when the instrumentation drains its profiler (seconds later).
    /// </summary>
    public Task<IReadOnlyList<TelemetrySpan>> WaitForTraceAsync(string traceId, string what, Func<IReadOnlyList<TelemetrySpan>, bool> complete) =>
        Eventually.GetAsync($"trace {traceId} holding {what}", () => TraceAsync(traceId), complete, Patience,
            spans => string.Join("; ", spans.Select(s => $"{s.Service}: {s.Name}")));

    public Task<TelemetrySpan> WaitForSpanAsync(string resource, Func<TelemetrySpan, bool> match, string what) =>
        Eventually.FindAsync($"a {resource} span: {what}", async () => (await SpansAsync(resource)).FirstOrDefault(match), Patience);

    public Task<TelemetryLog> WaitForLogAsync(string resource, Func<TelemetryLog, bool> match, string what) =>
        Eventually.FindAsync($"a {resource} log record {what}", async () =>
        {
            using var response = await GetAsync($"/api/telemetry/logs?resource={resource}&limit=2000");
            return response.StatusCode == HttpStatusCode.NotFound ? null : Logs(await ReadAsync(response)).FirstOrDefault(match);
        }, Patience);

    private async Task<HttpResponseMessage> GetAsync(string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(Dashboard, path));
        if (apiKey is not null)
        {
            request.Headers.Add("x-api-key", apiKey);
        }

        return await http.SendAsync(request, TestContext.Current.CancellationToken);
    }

    private static async Task<JsonDocument> ReadAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.IsSuccessStatusCode, $"{response.RequestMessage?.RequestUri}: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body);
    }

    private static List<TelemetrySpan> Spans(JsonDocument json) => Items(json, "resourceSpans", "scopeSpans", "spans", (service, span) =>
        new TelemetrySpan(service, span.GetProperty("traceId").GetString()!, span.GetProperty("spanId").GetString()!,
            span.TryGetProperty("parentSpanId", out var parent) ? parent.GetString() : null, span.GetProperty("name").GetString()!,
            Attributes(span),
            span.TryGetProperty("links", out var links) ? links.EnumerateArray().Select(l => l.GetProperty("traceId").GetString()!).ToList() : []));

    private static List<TelemetryLog> Logs(JsonDocument json) => Items(json, "resourceLogs", "scopeLogs", "logRecords", (service, log) =>
        new TelemetryLog(service, log.TryGetProperty("body", out var body) ? body.EnumerateObject().FirstOrDefault().Value.ToString() : "",
            log.TryGetProperty("traceId", out var trace) ? trace.GetString() : null, Attributes(log)));

    /// <summary>OTLP JSON's nesting, resource then scope then item, flattened with each item's service name.</summary>
    private static List<T> Items<T>(JsonDocument json, string resources, string scopes, string items, Func<string, JsonElement, T> read)
    {
        using (json)
        {
            return json.RootElement.GetProperty("data").GetProperty(resources).EnumerateArray().SelectMany(resource =>
            {
                var service = Attributes(resource.TryGetProperty("resource", out var r) ? r : default).GetValueOrDefault("service.name") ?? "";
                return resource.GetProperty(scopes).EnumerateArray().SelectMany(scope => scope.GetProperty(items).EnumerateArray())
                    .Select(item => read(service, item));
            }).ToList();
        }
    }

    private static Dictionary<string, string> Attributes(JsonElement owner)
    {
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
        if (owner.ValueKind == JsonValueKind.Object && owner.TryGetProperty("attributes", out var list))
        {
            foreach (var attribute in list.EnumerateArray())
            {
                var value = attribute.GetProperty("value");
                attributes[attribute.GetProperty("key").GetString()!] = value.EnumerateObject().FirstOrDefault() is { Value: var v } && v.ValueKind != JsonValueKind.Undefined
                    ? v.ValueKind == JsonValueKind.String ? v.GetString()! : v.GetRawText()
                    : "";
            }
        }

        return attributes;
    }
}
