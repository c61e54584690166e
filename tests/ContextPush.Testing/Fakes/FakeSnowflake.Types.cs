using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Npgsql;

namespace ContextPush.Testing.Fakes;

public sealed partial class FakeSnowflake
{
    /// <summary>A column as the SQL API's rowType describes it, from PostgreSQL's type.</summary>
    private static JsonObject RowType(string name, string pgType)
    {
        var (type, precision, scale) = pgType switch
        {
            "smallint" or "integer" or "bigint" => ("fixed", 38, 0),
            _ when pgType.StartsWith("numeric", StringComparison.Ordinal) => ("fixed", 38, NumericScale(pgType)),
            "real" or "double precision" => ("real", (int?)null, (int?)null),
            "boolean" => ("boolean", null, null),
            "date" => ("date", null, null),
            "timestamp without time zone" => ("timestamp_ntz", null, 9),
            "timestamp with time zone" => ("timestamp_tz", null, 9),
            _ => ("text", null, null),
        };
        return new JsonObject
        {
            // Snowflake folds unquoted identifiers to upper case.
            ["name"] = name.ToUpperInvariant(),
            ["database"] = "ANALYTICS",
            ["schema"] = "PUBLIC",
            ["table"] = "",
            ["type"] = type,
            ["precision"] = precision,
            ["scale"] = scale,
            ["length"] = type == "text" ? 16777216 : null,
            ["nullable"] = true,
        };
    }

    private static int NumericScale(string pgType) =>
        pgType.IndexOf(',', StringComparison.Ordinal) is var comma and > 0 ? int.Parse(pgType[(comma + 1)..].TrimEnd(')').Trim(), CultureInfo.InvariantCulture) : 9;

    /// <summary>A value as jsonv2 text: numbers in invariant notation, dates as days and timestamps as seconds since the epoch.</summary>
    private static string? Text(object? value) => value switch
    {
        null => null,
        double d => d.ToString("0.000000000000000e+00", CultureInfo.InvariantCulture),
        float f => ((double)f).ToString("0.000000000000000e+00", CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        DateOnly date => (date.DayNumber - DateOnly.FromDateTime(DateTime.UnixEpoch).DayNumber).ToString(CultureInfo.InvariantCulture),
        // TIMESTAMP_TZ (PostgreSQL's timestamptz, read as UTC) carries its offset in minutes plus 1440 after the seconds.
        DateTime { Kind: DateTimeKind.Utc } at => ((at - DateTime.UnixEpoch).Ticks / (decimal)TimeSpan.TicksPerSecond).ToString("0.000000000", CultureInfo.InvariantCulture) + " 1440",
        DateTime at => ((at - DateTime.UnixEpoch).Ticks / (decimal)TimeSpan.TicksPerSecond).ToString("0.000000000", CultureInfo.InvariantCulture),
        IFormattable number => number.ToString(null, CultureInfo.InvariantCulture),
        var other => other.ToString(),
    };

    /// <summary>PostgreSQL's refusal as Snowflake words the same refusal, with its codes and HTTP status.</summary>
    private static SnowflakeFailure Refusal(PostgresException e, int timeoutSeconds) => e.SqlState switch
    {
        PostgresErrorCodes.QueryCanceled => new(StatusCodes.Status408RequestTimeout, "000630", "57014",
            $"Statement reached its statement or warehouse timeout of {timeoutSeconds} second(s) and was canceled."),
        PostgresErrorCodes.UndefinedTable => new(StatusCodes.Status422UnprocessableEntity, "002003", "42S02",
            $"SQL compilation error:\nObject '{FakeWarehouseQuery.Quoted(e.MessageText).ToUpperInvariant()}' does not exist or not authorized."),
        PostgresErrorCodes.UndefinedColumn => new(StatusCodes.Status422UnprocessableEntity, "000904", "42000",
            $"SQL compilation error: error line 1 at position {Math.Max(0, e.Position - 1)}\ninvalid identifier '{FakeWarehouseQuery.Quoted(e.MessageText).ToUpperInvariant()}'"),
        PostgresErrorCodes.SyntaxError => new(StatusCodes.Status422UnprocessableEntity, "001003", "42000",
            $"SQL compilation error:\nsyntax error line 1 at position {Math.Max(0, e.Position - 1)} unexpected '{FakeWarehouseQuery.Quoted(e.MessageText)}'."),
        PostgresErrorCodes.ReadOnlySqlTransaction or PostgresErrorCodes.InsufficientPrivilege => new(StatusCodes.Status422UnprocessableEntity, "003001", "42501",
            "SQL access control error:\nInsufficient privileges to operate on the object the statement changes."),
        _ => new(StatusCodes.Status422UnprocessableEntity, "100000", "22000", e.MessageText),
    };
}
