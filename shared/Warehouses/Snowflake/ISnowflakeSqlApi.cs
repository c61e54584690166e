using Refit;

namespace ContextPush.Warehouses.Snowflake;

/// <summary>
/// Snowflake's SQL API (https://docs.snowflake.com/en/developer-guide/sql-api/reference). Its answers
/// differ in shape by status (200 a ResultSet, 202 a QueryStatus, 408 and 422 a QueryFailureStatus),
/// so they come back whole and <see cref="SnowflakeStatements"/> reads them by status.
/// </summary>
[Headers("Accept: application/json", "User-Agent: ContextPush/1.0", "X-Snowflake-Authorization-Token-Type: KEYPAIR_JWT")]
public interface ISnowflakeSqlApi
{
    /// <summary>Submits one statement to run asynchronously; <paramref name="requestId"/> makes a resubmission idempotent.</summary>
    [Post("/api/v2/statements?async=true")]
    Task<HttpResponseMessage> SubmitAsync([Query] string requestId, [Body] SnowflakeStatementRequest body,
        [Header("Authorization")] string authorization, CancellationToken ct);

    /// <summary>The statement's status, or once it succeeded, one partition of its result.</summary>
    [Get("/api/v2/statements/{handle}")]
    Task<HttpResponseMessage> GetAsync(string handle, [Query] int? partition, [Header("Authorization")] string authorization, CancellationToken ct);

    [Post("/api/v2/statements/{handle}/cancel")]
    Task<HttpResponseMessage> CancelAsync(string handle, [Header("Authorization")] string authorization, CancellationToken ct);
}
