using Refit;

namespace ContextPush.Warehouses.BigQuery;

/// <summary>
/// BigQuery's REST API for queries (https://cloud.google.com/bigquery/docs/reference/rest/v2/jobs/query
/// and …/getQueryResults). Answers come back whole: an error is a JSON <c>error</c> object whose
/// <c>errors[0].reason</c> says what kind it is, and <see cref="BigQueryJobs"/> reads them.
/// </summary>
[Headers("Accept: application/json", "User-Agent: ContextPush/1.0")]
public interface IBigQueryApi
{
    [Post("/bigquery/v2/projects/{projectId}/queries")]
    Task<HttpResponseMessage> QueryAsync(string projectId, [Body] BigQueryQueryRequest body, [Header("Authorization")] string authorization, CancellationToken ct);

    /// <summary>Waits up to <paramref name="timeoutMs"/> for the job, then answers its state or a page of its rows.</summary>
    [Get("/bigquery/v2/projects/{projectId}/queries/{jobId}")]
    Task<HttpResponseMessage> GetQueryResultsAsync(string projectId, string jobId, [Query] string? pageToken, [Query] int? maxResults, [Query] int timeoutMs,
        [Query] string? location, [Header("Authorization")] string authorization, CancellationToken ct);
}

/// <summary>Google's OAuth token endpoint, at the service account's <c>token_uri</c>.</summary>
public interface IGoogleTokenApi
{
    [Post("/{**path}")]
    Task<HttpResponseMessage> TokenAsync(string path, [Body(BodySerializationMethod.UrlEncoded)] Dictionary<string, string> form, CancellationToken ct);
}
