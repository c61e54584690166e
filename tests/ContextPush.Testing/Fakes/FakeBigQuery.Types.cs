using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Npgsql;

namespace ContextPush.Testing.Fakes;

public sealed partial class FakeBigQuery
{
    /// <summary>A schema field as BigQuery describes it, from PostgreSQL's type.</summary>
    private static JsonObject Field(string name, string pgType) => new()
    {
        ["name"] = name,
        ["type"] = pgType switch
        {
            "smallint" or "integer" or "bigint" => "INTEGER",
            _ when pgType.StartsWith("numeric", StringComparison.Ordinal) => "NUMERIC",
            "real" or "double precision" => "FLOAT",
            "boolean" => "BOOLEAN",
            "date" => "DATE",
            "timestamp without time zone" => "DATETIME",
            "timestamp with time zone" => "TIMESTAMP",
            _ => "STRING",
        },
        ["mode"] = "NULLABLE",
    };

    /// <summary>A cell as BigQuery's JSON has it: text, numbers invariant, timestamps in seconds since the epoch.</summary>
    private static string? Text(object? value) => value switch
    {
        null => null,
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        float f => f.ToString("R", CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        // NUMERIC without trailing zeros, as BigQuery prints it: 0.9000 is "0.9".
        decimal d => d.ToString("G29", CultureInfo.InvariantCulture),
        // To the microsecond, as BigQuery keeps them: 1.7639856E9 for a whole second, 1.763985600123456E9 with its fraction.
        DateTime { Kind: DateTimeKind.Utc } at => (Math.Round((at - DateTime.UnixEpoch).Ticks / 10m) / 1_000_000m).ToString("0.###############E0", CultureInfo.InvariantCulture),
        DateTime at => at.ToString("yyyy-MM-ddTHH:mm:ss.FFFFFF", CultureInfo.InvariantCulture),
        IFormattable number => number.ToString(null, CultureInfo.InvariantCulture),
        var other => other.ToString(),
    };

    /// <summary>PostgreSQL's refusal as BigQuery words the same refusal, with its reason and HTTP status.</summary>
    private IResult Refusal(PostgresException e, long timeoutMs) => e.SqlState switch
    {
        PostgresErrorCodes.QueryCanceled => Error(400, "timeout", $"Query exceeded the job timeout of {timeoutMs} ms and was cancelled."),
        PostgresErrorCodes.UndefinedTable => Error(404, "notFound",
            $"Not found: Table {Project}:{FakeWarehouseQuery.Quoted(e.MessageText)} was not found in location EU"),
        PostgresErrorCodes.UndefinedColumn => Error(400, "invalidQuery",
            $"Unrecognized name: {FakeWarehouseQuery.Quoted(e.MessageText)} at [1:{Math.Max(1, e.Position)}]"),
        PostgresErrorCodes.SyntaxError => Error(400, "invalidQuery",
            $"Syntax error: Unexpected {FakeWarehouseQuery.Quoted(e.MessageText)} at [1:{Math.Max(1, e.Position)}]"),
        PostgresErrorCodes.ReadOnlySqlTransaction or PostgresErrorCodes.InsufficientPrivilege => Error(403, "accessDenied",
            $"Access Denied: Project {Project}: the request had insufficient authentication scopes to change data."),
        _ => Error(400, "invalidQuery", e.MessageText),
    };
}
