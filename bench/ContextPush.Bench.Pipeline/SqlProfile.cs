using Npgsql;

namespace ContextPush.Bench.Pipeline;

/// <summary>
/// SQL round trips of the measured runs, from pg_stat_statements (which the AppHost's PostgreSQL loads):
/// statements per delta by database, and the statements called most.
/// </summary>
internal sealed class SqlProfile(string postgres)
{
    public sealed record Statement(string Database, long Calls, double Milliseconds, string Query);

    /// <summary>
    /// Samples the server's connections per database every half second until <paramref name="stop"/>, and
    /// answers the most seen at once: what a stage's pool really opens under load.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, int>> PeakConnectionsAsync(CancellationToken stop)
    {
        var peak = new Dictionary<string, int>();
        await using var connection = await OpenAsync();
        while (!stop.IsCancellationRequested)
        {
            await using (var sample = new NpgsqlCommand(
                "SELECT datname, count(*)::int FROM pg_stat_activity WHERE datname IS NOT NULL AND datname <> 'postgres' GROUP BY datname", connection))
            await using (var reader = await sample.ExecuteReaderAsync(CancellationToken.None))
            {
                while (await reader.ReadAsync(CancellationToken.None))
                {
                    peak[reader.GetString(0)] = Math.Max(peak.GetValueOrDefault(reader.GetString(0)), reader.GetInt32(1));
                }
            }

            await Task.Delay(500, CancellationToken.None);
        }

        return peak;
    }

    public async Task ResetAsync()
    {
        await using var connection = await OpenAsync();
        await using var reset = new NpgsqlCommand("CREATE EXTENSION IF NOT EXISTS pg_stat_statements; SELECT pg_stat_statements_reset()", connection);
        await reset.ExecuteNonQueryAsync();
    }

    public async Task<IReadOnlyList<Statement>> ReadAsync()
    {
        await using var connection = await OpenAsync();
        await using var read = new NpgsqlCommand("""
            SELECT d.datname, s.calls, s.total_exec_time, regexp_replace(s.query, '\s+', ' ', 'g')
            FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid
            WHERE d.datname <> 'postgres'
            ORDER BY s.calls DESC
            """, connection);
        await using var reader = await read.ExecuteReaderAsync();
        var statements = new List<Statement>();
        while (await reader.ReadAsync())
        {
            statements.Add(new Statement(reader.GetString(0), reader.GetInt64(1), reader.GetDouble(2), reader.GetString(3)));
        }

        return statements;
    }

    private async Task<NpgsqlConnection> OpenAsync()
    {
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(postgres) { Database = "postgres", Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        return connection;
    }
}
