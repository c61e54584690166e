using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Npgsql;

namespace ContextPush.Testing.Fakes;

/// <summary>
/// A local stand-in for Snowflake's SQL API that runs each statement against a real PostgreSQL
/// database, so results are real: key-pair JWT auth checked as Snowflake checks it, asynchronous
/// statements polled by handle, results in partitions, the documented failure bodies (422 for a
/// statement Snowflake refuses, 408 for one past its timeout, 401 for a bad token) and a rate limit
/// answered 429. Unquoted names come back upper-cased, values as text (jsonv2), as Snowflake does.
/// </summary>
public sealed partial class FakeSnowflake : IAsyncDisposable
{
    private readonly string _database;
    private readonly ConcurrentDictionary<string, Statement> _statements = new();
    private WebApplication _app = null!;

    private FakeSnowflake(string database, string account, string user, RSA publicKey)
    {
        _database = database;
        Account = account;
        User = user;
        _publicKey = publicKey;
    }

    public string Account { get; }

    public string User { get; }

    public Uri BaseUrl { get; private set; } = null!;

    /// <summary>Rows per result partition (Snowflake sizes them by bytes; a count keeps tests exact).</summary>
    public int RowsPerPartition { get; set; } = 1000;

    /// <summary>How long a statement stays "in progress" (202) before it runs, so clients must poll.</summary>
    public TimeSpan RunAfter { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Requests beyond this many per second answer 429, as Snowflake's limit on API requests does.</summary>
    public int? RequestsPerSecond { get; set; }

    /// <summary>Partitions from this index on answer 503, as during an outage; null when Snowflake is well.</summary>
    public int? UnavailableFromPartition { get; set; }

    /// <summary>Every request as it arrived: method, path and query, and the status it got.</summary>
    public ConcurrentQueue<(string Request, int Status)> Requests { get; } = new();

    /// <summary>The statements submitted, in order.</summary>
    public ConcurrentQueue<string> Submitted { get; } = new();

    /// <summary>The bindings of each submitted statement as JSON, in order ("" when it had none).</summary>
    public ConcurrentQueue<string> Bindings { get; } = new();

    public int RateLimited => Requests.Count(r => r.Status == StatusCodes.Status429TooManyRequests);

    /// <summary>A fake account whose user signs in with <paramref name="publicKey"/>'s private half; statements run on <paramref name="database"/>.</summary>
    public static async Task<FakeSnowflake> StartAsync(string database, string account, string user, RSA publicKey)
    {
        var snowflake = new FakeSnowflake(database, account, user, publicKey);
        var (app, address) = await LoopbackWebApp.StartAsync(snowflake.Map);
        snowflake._app = app;
        snowflake.BaseUrl = address;
        return snowflake;
    }

    /// <summary>The connection string the Detector would be given for this account.</summary>
    public string ConnectionString(RSA privateKey, string? role = "CONTEXTPUSH_READER") =>
        $"Account={Account};User={User};Host={BaseUrl.ToString().TrimEnd('/')};Warehouse=ANALYTICS_WH;Database=ANALYTICS;Schema=PUBLIC;Role={role};" +
        $"PrivateKey={Convert.ToBase64String(privateKey.ExportPkcs8PrivateKey())}";

    private void Map(WebApplication app)
    {
        app.MapPost("/api/v2/statements", (Delegate)SubmitAsync);
        app.MapGet("/api/v2/statements/{handle}", Get);
        app.MapPost("/api/v2/statements/{handle}/cancel", Cancel);
    }

    private async Task<IResult> SubmitAsync(HttpContext http)
    {
        if (Refused(http) is { } refused)
        {
            return refused;
        }

        var body = await JsonNode.ParseAsync(http.Request.Body) as JsonObject;
        if (body?["statement"]?.GetValue<string>() is not { Length: > 0 } sql)
        {
            return Logged(http, Failure(StatusCodes.Status400BadRequest, "391903", null, "Statement is required.", null));
        }

        // Snowflake's default: two days.
        var timeout = body["timeout"]?.GetValue<int>() is { } seconds and > 0 ? seconds : 172800;
        if (body["parameters"]?["MULTI_STATEMENT_COUNT"]?.GetValue<string>() == "1" && sql.TrimEnd().TrimEnd(';').Contains(';', StringComparison.Ordinal))
        {
            return Logged(http, Failure(StatusCodes.Status422UnprocessableEntity, "000008", "0A000",
                "Actual statement count 2 did not match the desired statement count 1.", null));
        }

        var (positional, parameters, unbound) = Bound(sql, body["bindings"] as JsonObject);
        if (unbound is not null)
        {
            return Logged(http, Failure(StatusCodes.Status422UnprocessableEntity, "002049", "42601", $"SQL compilation error: error line 1 at position {unbound}\nBind variable ? not set.", null));
        }

        Submitted.Enqueue(sql);
        Bindings.Enqueue(body["bindings"]?.ToJsonString() ?? "");
        var handle = Guid.NewGuid().ToString();
        var statement = new Statement(handle, Task.Run(async () =>
        {
            await Task.Delay(RunAfter);
            return await RunAsync(_database, positional, timeout, parameters);
        }));
        _statements[handle] = statement;
        var async = string.Equals(http.Request.Query["async"], "true", StringComparison.OrdinalIgnoreCase);
        if (!async)
        {
            await Task.WhenAny(statement.Outcome, Task.Delay(TimeSpan.FromSeconds(45)));
        }

        return Logged(http, Answer(statement, 0));
    }

    private IResult Get(HttpContext http, string handle)
    {
        if (Refused(http) is { } refused)
        {
            return refused;
        }

        if (!_statements.TryGetValue(handle, out var statement))
        {
            return Logged(http, Failure(StatusCodes.Status404NotFound, "333333", null, $"Statement {handle} not found.", handle));
        }

        var partition = int.TryParse(http.Request.Query["partition"], out var p) ? p : 0;
        if (partition > 0 && UnavailableFromPartition is { } outage && partition >= outage)
        {
            return Logged(http, Results.Text("""{"code":"390400","message":"Service is temporarily unavailable."}""", "application/json", statusCode: 503));
        }

        return Logged(http, Answer(statement, partition));
    }

    private IResult Cancel(HttpContext http, string handle)
    {
        if (Refused(http) is { } refused)
        {
            return refused;
        }

        return Logged(http, _statements.TryRemove(handle, out _)
            ? Results.Json(new { code = "000604", sqlState = "57014", message = "SQL execution canceled", statementHandle = handle })
            : Failure(StatusCodes.Status404NotFound, "333333", null, $"Statement {handle} not found.", handle));
    }

    /// <summary>Auth and the rate limit, before anything else; null when the request may go on.</summary>
    private IResult? Refused(HttpContext http)
    {
        if (RequestsPerSecond is { } limit && !_limit.TryTake(limit))
        {
            return Logged(http, Results.Text("""{"code":"390420","message":"Too many requests. Please retry later."}""", "application/json", statusCode: 429));
        }

        return TokenProblem(http) is { } problem
            ? Logged(http, Results.Json(new { code = "390144", message = $"JWT token is invalid. [{problem}]" }, statusCode: StatusCodes.Status401Unauthorized))
            : null;
    }

    private IResult Logged(HttpContext http, IResult result)
    {
        var status = result is IStatusCodeHttpResult { StatusCode: { } code } ? code : 200;
        Requests.Enqueue(($"{http.Request.Method} {http.Request.Path}{http.Request.QueryString}", status));
        return result;
    }

    private readonly SlidingWindowLimit _limit = new();

    private IResult Answer(Statement statement, int partition)
    {
        if (!statement.Outcome.IsCompleted)
        {
            return Results.Json(new
            {
                code = "333334",
                message = "Asynchronous execution in progress. Use provided query id to perform query monitoring and management.",
                statementHandle = statement.Handle,
                statementStatusUrl = $"/api/v2/statements/{statement.Handle}",
            }, statusCode: StatusCodes.Status202Accepted);
        }

        var outcome = statement.Outcome.Result;
        if (outcome.Failure is { } failure)
        {
            return Failure(failure.Status, failure.Code, failure.SqlState, failure.Message, statement.Handle);
        }

        var rows = outcome.Rows!;
        var partitions = rows.Chunk(Math.Max(1, RowsPerPartition)).ToList();
        if (partitions.Count == 0)
        {
            partitions.Add([]);
        }

        if (partition >= partitions.Count)
        {
            return Failure(StatusCodes.Status422UnprocessableEntity, "000605", null, $"Partition {partition} does not exist.", statement.Handle);
        }

        var data = partitions[partition];
        if (partition > 0)
        {
            return Results.Json(new { data });
        }

        return Results.Json(new
        {
            resultSetMetaData = new
            {
                numRows = rows.Count,
                format = "jsonv2",
                partitionInfo = partitions.Select(p => new { rowCount = p.Length, uncompressedSize = JsonSerializer.SerializeToUtf8Bytes(p).Length }),
                rowType = outcome.Columns,
            },
            data,
            code = "090001",
            statementStatusUrl = $"/api/v2/statements/{statement.Handle}",
            sqlState = "00000",
            statementHandle = statement.Handle,
            message = "Statement executed successfully.",
            createdOn = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
        });
    }

    private static IResult Failure(int status, string code, string? sqlState, string message, string? handle) => Results.Json(new
    {
        code,
        sqlState,
        message,
        statementHandle = handle,
        statementStatusUrl = handle is null ? null : $"/api/v2/statements/{handle}",
    }, statusCode: status);

    private static async Task<Outcome> RunAsync(string database, string sql, int timeoutSeconds, IReadOnlyList<NpgsqlParameter> parameters)
    {
        try
        {
            var result = await FakeWarehouseQuery.RunAsync(database, sql, timeoutSeconds * 1000L, parameters);
            return new Outcome([.. result.Columns.Select(c => RowType(c.Name, c.PgType))], [.. result.Rows.Select(r => r.Select(Text).ToArray())], null);
        }
        catch (PostgresException e)
        {
            return new Outcome([], null, Refusal(e, timeoutSeconds));
        }
    }

    /// <summary>
    /// The statement with each <c>?</c> outside quotes as PostgreSQL's <c>$n</c>, bound from the request's
    /// bindings ("1", "2"… with a Snowflake type and a text value), or the position of a <c>?</c> left unbound.
    /// </summary>
    private static (string Sql, List<NpgsqlParameter> Parameters, int? Unbound) Bound(string sql, JsonObject? bindings)
    {
        var text = new System.Text.StringBuilder(sql.Length);
        var parameters = new List<NpgsqlParameter>();
        var quoted = false;
        for (var i = 0; i < sql.Length; i++)
        {
            quoted ^= sql[i] == '\'';
            if (sql[i] != '?' || quoted)
            {
                text.Append(sql[i]);
                continue;
            }

            var number = parameters.Count + 1;
            if (bindings?[number.ToString(System.Globalization.CultureInfo.InvariantCulture)] is not JsonObject binding)
            {
                return (sql, parameters, i);
            }

            var value = binding["value"]?.GetValue<string>();
            parameters.Add(binding["type"]?.GetValue<string>()?.ToUpperInvariant() switch
            {
                "FIXED" => new NpgsqlParameter { Value = value is null ? DBNull.Value : long.Parse(value, System.Globalization.CultureInfo.InvariantCulture) },
                _ => new NpgsqlParameter { Value = (object?)value ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text },
            });
            text.Append('$').Append(number);
        }

        return (text.ToString(), parameters, null);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private sealed record Statement(string Handle, Task<Outcome> Outcome);

    private sealed record Outcome(List<JsonObject> Columns, List<string?[]>? Rows, SnowflakeFailure? Failure);

    private sealed record SnowflakeFailure(int Status, string Code, string? SqlState, string Message);
}
