using Npgsql;

namespace ContextPush.PushFiles;

/// <summary>
/// Checks a push against its warehouse: the cohort SQL must run in a read-only transaction and
/// return the key and metric columns, the metrics numeric. No row is read: the query runs with
/// <c>LIMIT 0</c>. The Detector runs it at start and on every reload; <c>contextpush validate
/// --warehouse</c> runs the same check before a pull request is merged.
/// </summary>
public static class CohortCheck
{
    private static readonly HashSet<string> NumericTypes = ["smallint", "integer", "bigint", "numeric", "real", "double precision"];

    public static async Task<PushLoadError?> CheckAsync(NpgsqlDataSource warehouse, PushDefinition push, CancellationToken ct) =>
        await LocateAsync(await FindAsync(warehouse, push, ct), push, ct);

    /// <summary>The error with the line of its field in the push file, when the file is there to read.</summary>
    public static async Task<PushLoadError?> LocateAsync(PushLoadError? error, PushDefinition push, CancellationToken ct) =>
        error is not null && File.Exists(push.File)
            ? error with { Line = YamlLines.LineOf(await File.ReadAllTextAsync(push.File, ct), error.Field) }
            : error;

    /// <summary>Whether a PostgreSQL type reads as a number.</summary>
    public static bool IsNumeric(string postgresType) => NumericTypes.Contains(postgresType);

    private static async Task<PushLoadError?> FindAsync(NpgsqlDataSource warehouse, PushDefinition push, CancellationToken ct)
    {
        List<(string Name, string Type)> columns;
        try
        {
            columns = await DescribeAsync(warehouse, push.CohortSql, ct);
        }
        catch (PostgresException e)
        {
            var at = e.Position > 0 ? $" (at character {e.Position} of the query)" : "";
            return new PushLoadError(push.File, "cohort",
                $"the SQL does not run on '{push.Warehouse}': {e.MessageText}{at}; fix the query (try it in psql) so it is one read-only SELECT");
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException)
        {
            return new PushLoadError(push.File, "warehouse", $"'{push.Warehouse}' cannot be reached to check the push: {e.Message}");
        }

        return CheckColumns(push, [.. columns.Select(c => (c.Name, c.Type, IsNumeric(c.Type)))]);
    }

    /// <summary>
    /// The first key or metric the cohort's columns do not give, or a metric that is not a number; any
    /// engine. <paramref name="ignoreCase"/> for an engine that folds unquoted names (Snowflake: upper case).
    /// </summary>
    public static PushLoadError? CheckColumns(PushDefinition push, IReadOnlyList<(string Name, string Type, bool IsNumeric)> columns, bool ignoreCase = false)
    {
        var comparison = ignoreCase ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
        var returned = string.Join(", ", columns.Select(c => c.Name));
        foreach (var key in push.Key.Where(k => !columns.Any(c => string.Equals(c.Name, k, comparison))))
        {
            return new PushLoadError(push.File, "key", $"column '{key}' is not returned by the cohort query (it returns {returned}); add it to the SELECT or fix the key");
        }

        for (var i = 0; i < push.Metrics.Count; i++)
        {
            var metric = push.Metrics[i];
            var column = columns.FirstOrDefault(c => string.Equals(c.Name, metric.Name, comparison));
            if (column.Name is null)
            {
                return new PushLoadError(push.File, $"metrics[{i}].name",
                    $"column '{metric.Name}' is not returned by the cohort query (it returns {returned}); add it to the SELECT or fix the metric's name");
            }

            if (!column.IsNumeric)
            {
                return new PushLoadError(push.File, $"metrics[{i}].name",
                    $"column '{metric.Name}' is {column.Type}; a metric must be numeric (integer, numeric, real…): cast it in the SELECT");
            }
        }

        return null;
    }

    /// <summary>The cohort's columns, from a zero-row execution inside a read-only transaction.</summary>
    public static async Task<List<(string Name, string Type)>> DescribeAsync(NpgsqlDataSource warehouse, string cohortSql, CancellationToken ct)
    {
        await using var connection = await warehouse.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await using (var readOnly = new NpgsqlCommand("SET TRANSACTION READ ONLY; SET LOCAL statement_timeout = 30000", connection, transaction))
        {
            await readOnly.ExecuteNonQueryAsync(ct);
        }

        await using var describe = new NpgsqlCommand($"SELECT * FROM (\n{cohortSql}\n) AS cohort LIMIT 0", connection, transaction);
        await using var reader = await describe.ExecuteReaderAsync(ct);
        var schema = await reader.GetColumnSchemaAsync(ct);
        return schema.Select(c => (c.ColumnName, c.DataTypeName ?? "unknown")).ToList();
    }
}
