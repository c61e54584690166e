using Npgsql;

namespace ContextPush.Testing.Fakes;

/// <summary>
/// How the fake cloud warehouses (Snowflake, BigQuery) run a statement: on a real PostgreSQL database,
/// read-only (the roles the fakes give may only read) and within the statement's timeout. Results
/// are real; each fake words PostgreSQL's refusals as its platform does.
/// </summary>
public static class FakeWarehouseQuery
{
    public sealed record Result(List<(string Name, string PgType)> Columns, List<object?[]> Rows);

    /// <summary>
    /// The statement's columns and rows; a <see cref="PostgresException"/> when PostgreSQL refuses it.
    /// <paramref name="parameters"/> are bound as Npgsql's: by name for <c>@name</c>, by position for <c>$1</c>.
    /// </summary>
    public static async Task<Result> RunAsync(string database, string sql, long timeoutMs, IReadOnlyList<NpgsqlParameter>? parameters = null)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using (var setup = new NpgsqlCommand($"SET TRANSACTION READ ONLY; SET LOCAL statement_timeout = {timeoutMs}", connection, transaction))
        {
            await setup.ExecuteNonQueryAsync();
        }

        await using var command = new NpgsqlCommand(sql, connection, transaction);
        foreach (var parameter in parameters ?? [])
        {
            command.Parameters.Add(parameter);
        }

        await using var reader = await command.ExecuteReaderAsync();
        var columns = Enumerable.Range(0, reader.FieldCount).Select(i => (reader.GetName(i), reader.GetDataTypeName(i))).ToList();
        var rows = new List<object?[]>();
        while (await reader.ReadAsync())
        {
            rows.Add([.. Enumerable.Range(0, reader.FieldCount).Select(i => reader.IsDBNull(i) ? null : reader.GetValue(i))]);
        }

        return new Result(columns, rows);
    }

    /// <summary>The quoted name in PostgreSQL's message (the table, the column), or the message.</summary>
    public static string Quoted(string message)
    {
        var start = message.IndexOfAny(['"', '\'']);
        var end = start < 0 ? -1 : message.IndexOf(message[start], start + 1);
        return end > start ? message[(start + 1)..end] : message;
    }
}
