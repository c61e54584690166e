using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Npgsql;

namespace ContextPush.Testing.Fakes;

/// <summary>
/// A local stand-in for BigQuery's REST API and Google's OAuth token endpoint that runs each query on a
/// real PostgreSQL database: a service account's signed JWT traded for an access token (its claims
/// checked as Google checks them), jobs.query answering an incomplete job that getQueryResults then
/// completes, rows in pages by page token, Google's error bodies (400 invalidQuery, 404 notFound,
/// 403 accessDenied, 401 authError) and its rate limit as 403 rateLimitExceeded. Cells come back as
/// text in <c>{"f":[{"v":…}]}</c>, as BigQuery sends them.
/// </summary>
public sealed partial class FakeBigQuery : IAsyncDisposable
{
    private readonly string _database;
    private readonly ConcurrentDictionary<string, Job> _jobs = new();
    private readonly SlidingWindowLimit _limit = new();
    private WebApplication _app = null!;

    private FakeBigQuery(string database, string project, string clientEmail, string keyId, RSA publicKey)
    {
        _database = database;
        Project = project;
        ClientEmail = clientEmail;
        KeyId = keyId;
        _publicKey = publicKey;
    }

    public string Project { get; }

    public Uri BaseUrl { get; private set; } = null!;

    /// <summary>Rows per page (BigQuery sizes pages by bytes unless maxResults says; a count keeps tests exact).</summary>
    public int RowsPerPage { get; set; } = 1000;

    /// <summary>How long a job runs at least, so jobs.query answers it incomplete and clients poll.</summary>
    public TimeSpan RunAfter { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>API requests beyond this many per second answer 403 rateLimitExceeded, as BigQuery's quota does.</summary>
    public int? RequestsPerSecond { get; set; }

    /// <summary>Pages from this one on (1 is the first) answer 503, as during an outage; null when BigQuery is well.</summary>
    public int? UnavailableFromPage { get; set; }

    /// <summary>Every request as it arrived, and the status it got.</summary>
    public ConcurrentQueue<(string Request, int Status)> Requests { get; } = new();

    /// <summary>The queries submitted, in order.</summary>
    public ConcurrentQueue<string> Submitted { get; } = new();

    public int RateLimited => Requests.Count(r => r.Status == StatusCodes.Status403Forbidden && r.Request.Contains("/queries", StringComparison.Ordinal));

    public static async Task<FakeBigQuery> StartAsync(string database, string project, string clientEmail, string keyId, RSA publicKey)
    {
        var bigQuery = new FakeBigQuery(database, project, clientEmail, keyId, publicKey);
        var (app, address) = await LoopbackWebApp.StartAsync(bigQuery.Map);
        bigQuery._app = app;
        bigQuery.BaseUrl = address;
        return bigQuery;
    }

    /// <summary>The connection string the Detector would be given: the service account's JSON key, base64-encoded.</summary>
    public string ConnectionString(RSA privateKey, string? keyId = null)
    {
        var key = new JsonObject
        {
            ["type"] = "service_account",
            ["project_id"] = Project,
            ["private_key_id"] = keyId ?? KeyId,
            ["private_key"] = privateKey.ExportPkcs8PrivateKeyPem(),
            ["client_email"] = ClientEmail,
            ["token_uri"] = new Uri(BaseUrl, "token").ToString(),
        };
        return $"Project={Project};Location=EU;Host={BaseUrl.ToString().TrimEnd('/')};Credentials={Convert.ToBase64String(Encoding.UTF8.GetBytes(key.ToJsonString()))}";
    }

    private void Map(WebApplication app)
    {
        app.MapPost("/token", (Delegate)TokenAsync);
        app.MapPost("/bigquery/v2/projects/{project}/queries", (Delegate)QueryAsync);
        app.MapGet("/bigquery/v2/projects/{project}/queries/{jobId}", (Delegate)GetQueryResultsAsync);
    }

    private async Task<IResult> QueryAsync(HttpContext http, string project)
    {
        if (Refused(http, project) is { } refused)
        {
            return refused;
        }

        var body = await JsonNode.ParseAsync(http.Request.Body) as JsonObject;
        if (body?["query"]?.GetValue<string>() is not { Length: > 0 } sql)
        {
            return Logged(http, Error(400, "invalid", "Required parameter is missing: query"));
        }

        var timeoutMs = long.TryParse(body["jobTimeoutMs"]?.GetValue<string>(), CultureInfo.InvariantCulture, out var ms) ? ms : 6 * 3600 * 1000L;
        var (parameters, problem) = Parameters(sql, body);
        if (problem is not null)
        {
            return Logged(http, Error(400, "invalidQuery", problem));
        }

        Submitted.Enqueue(sql);
        var job = new Job("job_" + Guid.NewGuid().ToString("N"), Task.Run(async () =>
        {
            await Task.Delay(RunAfter);
            return await RunAsync(sql, timeoutMs, parameters);
        }));
        _jobs[job.Id] = job;
        await Task.WhenAny(job.Outcome, Task.Delay(TimeSpan.FromMilliseconds(Math.Min(body["timeoutMs"]?.GetValue<int>() ?? 10_000, 50))));
        return Logged(http, Page(job, 0, "bigquery#queryResponse"));
    }

    private async Task<IResult> GetQueryResultsAsync(HttpContext http, string project, string jobId)
    {
        if (Refused(http, project) is { } refused)
        {
            return refused;
        }

        if (!_jobs.TryGetValue(jobId, out var job))
        {
            return Logged(http, Error(404, "notFound", $"Not found: Job {Project}:EU.{jobId}"));
        }

        var start = http.Request.Query["pageToken"] is { Count: > 0 } token ? int.Parse(token.ToString()[1..], CultureInfo.InvariantCulture) : 0;
        if (start > 0 && UnavailableFromPage is { } outage && start / RowsPerPage + 1 >= outage)
        {
            return Logged(http, Results.Json(new { error = new { code = 503, message = "The service is currently unavailable.", status = "UNAVAILABLE" } }, statusCode: 503));
        }

        var wait = int.TryParse(http.Request.Query["timeoutMs"], out var timeoutMs) ? Math.Min(timeoutMs, 2000) : 2000;
        await Task.WhenAny(job.Outcome, Task.Delay(wait));
        return Logged(http, Page(job, start, "bigquery#getQueryResultsResponse"));
    }

    private IResult Page(Job job, int start, string kind)
    {
        var reference = new { projectId = Project, jobId = job.Id, location = "EU" };
        if (!job.Outcome.IsCompleted)
        {
            return Results.Json(new { kind, jobReference = reference, jobComplete = false });
        }

        var outcome = job.Outcome.Result;
        if (outcome.Failure is { } failure)
        {
            return failure;
        }

        // A NULL cell is {"v": null}, written even though the page leaves out its other null fields.
        var rows = new JsonArray([.. outcome.Rows!.Skip(start).Take(RowsPerPage)
            .Select(r => new JsonObject { ["f"] = new JsonArray([.. r.Select(v => new JsonObject { ["v"] = v })]) })]);
        var next = start + RowsPerPage;
        return Results.Json(new
        {
            kind,
            schema = new { fields = outcome.Fields },
            jobReference = reference,
            totalRows = outcome.Rows!.Count.ToString(CultureInfo.InvariantCulture),
            pageToken = next < outcome.Rows.Count ? "p" + next.ToString(CultureInfo.InvariantCulture) : null,
            rows,
            totalBytesProcessed = "0",
            jobComplete = true,
            cacheHit = false,
        }, new JsonSerializerOptions { DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull });
    }

    private async Task<Outcome> RunAsync(string sql, long timeoutMs, IReadOnlyList<NpgsqlParameter> parameters)
    {
        try
        {
            var result = await FakeWarehouseQuery.RunAsync(_database, sql, timeoutMs, parameters);
            return new Outcome([.. result.Columns.Select(c => Field(c.Name, c.PgType))], [.. result.Rows.Select(r => r.Select(Text).ToArray())], null);
        }
        catch (PostgresException e)
        {
            return new Outcome([], null, Refusal(e, timeoutMs));
        }
    }

    private IResult Logged(HttpContext http, IResult result)
    {
        var status = result is IStatusCodeHttpResult { StatusCode: { } code } ? code : 200;
        Requests.Enqueue(($"{http.Request.Method} {http.Request.Path}{http.Request.QueryString}", status));
        return result;
    }

    /// <summary>Google's error body: the code, the message, and the reason that says what kind of error it is.</summary>
    private static IResult Error(int status, string reason, string message) => Results.Json(new
    {
        error = new
        {
            code = status,
            message,
            errors = new[] { new { message, domain = reason == "rateLimitExceeded" ? "usageLimits" : "global", reason } },
            status = status switch
            {
                400 => "INVALID_ARGUMENT",
                401 => "UNAUTHENTICATED",
                403 => "PERMISSION_DENIED",
                404 => "NOT_FOUND",
                _ => "UNKNOWN",
            },
        },
    }, statusCode: status);

    /// <summary>
    /// The request's named query parameters (parameterMode NAMED, each with a STRING, INT64 or TIMESTAMP type and a
    /// value), or the error BigQuery gives for an <c>@name</c> of the SQL that none of them names.
    /// </summary>
    private static (List<NpgsqlParameter> Parameters, string? Problem) Parameters(string sql, JsonObject body)
    {
        var given = (body["queryParameters"] as JsonArray ?? []).OfType<JsonObject>().ToList();
        if (given.Count > 0 && body["parameterMode"]?.GetValue<string>() != "NAMED")
        {
            return ([], "Query parameters are given without parameterMode NAMED or POSITIONAL");
        }

        var parameters = given.Select(p =>
        {
            var value = p["parameterValue"]?["value"]?.GetValue<string>();
            var name = p["name"]!.GetValue<string>();
            return p["parameterType"]?["type"]?.GetValue<string>() switch
            {
                "INT64" => new NpgsqlParameter(name, value is null ? DBNull.Value : long.Parse(value, CultureInfo.InvariantCulture)),
                "TIMESTAMP" => new NpgsqlParameter(name, NpgsqlTypes.NpgsqlDbType.TimestampTz)
                {
                    Value = value is null ? DBNull.Value : DateTimeOffset.Parse(value, CultureInfo.InvariantCulture).UtcDateTime,
                },
                _ => new NpgsqlParameter(name, NpgsqlTypes.NpgsqlDbType.Text) { Value = (object?)value ?? DBNull.Value },
            };
        }).ToList();
        var named = parameters.Select(p => p.ParameterName).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var missing = System.Text.RegularExpressions.Regex.Matches(sql, @"(?<![\w@])@(\w+)").FirstOrDefault(m => !named.Contains(m.Groups[1].Value));
        return missing is null
            ? (parameters, null)
            : ([], $"Query parameter '{missing.Groups[1].Value}' not found at [1:{missing.Index + 1}]");
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private sealed record Job(string Id, Task<Outcome> Outcome);

    private sealed record Outcome(List<JsonObject> Fields, List<string?[]>? Rows, IResult? Failure);
}
