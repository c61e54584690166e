using System.Text.Json.Serialization;

namespace ContextPush.Warehouses.BigQuery;

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
    [property: JsonPropertyName("timeoutMs")] int TimeoutMs = 10_000,
    [property: JsonPropertyName("parameterMode"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? ParameterMode = null,
    [property: JsonPropertyName("queryParameters"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<BigQueryParameter>? QueryParameters = null,
    [property: JsonPropertyName("defaultDataset"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] BigQueryDatasetReference? DefaultDataset = null);

/// <summary>The dataset unqualified table names are looked for in.</summary>
public sealed record BigQueryDatasetReference(
    [property: JsonPropertyName("projectId")] string ProjectId,
    [property: JsonPropertyName("datasetId")] string DatasetId);

/// <summary>A named query parameter (<c>@name</c> in the SQL) of a scalar type: STRING, INT64…</summary>
public sealed record BigQueryParameter(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("parameterType")] BigQueryParameterType ParameterType,
    [property: JsonPropertyName("parameterValue")] BigQueryParameterValue ParameterValue)
{
    public static BigQueryParameter Of(string name, string type, string? value) => new(name, new(type), new(value));
}

public sealed record BigQueryParameterType([property: JsonPropertyName("type")] string Type);

public sealed record BigQueryParameterValue([property: JsonPropertyName("value")] string? Value);
