using System.Text.Json.Serialization;

namespace ContextPush.Detector.Warehouses.BigQuery;

/// <summary>
/// The body of jobs.query: standard SQL; <c>timeoutMs</c> is how long the call waits for the job,
/// <c>jobTimeoutMs</c> when BigQuery stops it; <c>requestId</c> makes a resubmission idempotent.
/// </summary>
public sealed record BigQueryQueryRequest(
    [property: JsonPropertyName("query")] string Query,
    [property: JsonPropertyName("jobTimeoutMs")] string JobTimeoutMs,
    [property: JsonPropertyName("requestId")] string RequestId,
    [property: JsonPropertyName("location"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Location,
    [property: JsonPropertyName("maxResults"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? MaxResults,
    [property: JsonPropertyName("useLegacySql")] bool UseLegacySql = false,
    [property: JsonPropertyName("timeoutMs")] int TimeoutMs = 10_000);
