using System.Globalization;
using System.Runtime.CompilerServices;
using ContextPush.Detector.Detection;
using ContextPush.PushFiles;
using ContextPush.Warehouses;
using MySqlConnector;

namespace ContextPush.Detector.Warehouses;

/// <summary>
/// A MariaDB or MySQL warehouse, through MySqlConnector. The session is read-only (which also refuses
/// DDL, that would otherwise commit implicitly) and each statement is time-boxed with MariaDB's
/// <c>max_statement_time</c>, or on MySQL <c>max_execution_time</c> (<see cref="MariaDbSession"/>).
/// </summary>
public sealed class MariaDbWarehouse : IWarehouseConnector
{
    private const int ReadOnlyTransaction = 1792;
    private const int ServerShutdown = 1053;
    private const int ConnectionKilled = 1927;

    private readonly string _connectionString;

    public MariaDbWarehouse(string connectionString) =>
        // TINYINT(1) stays a number: a metric column of it is a count, not a flag.
        _connectionString = new MySqlConnectionStringBuilder(connectionString) { TreatTinyAsBoolean = false }.ConnectionString;

    public async IAsyncEnumerable<CohortRow> ReadCohortAsync(PushDefinition push, TimeSpan timeout, [EnumeratorCancellation] CancellationToken ct)
    {
        await using var connection = await OpenReadOnlyAsync(push, timeout, ct);
        var key = "CONCAT(" + string.Join(", '|', ", push.Key.Select(k => $"COALESCE(CAST(cohort.{Quote(k)} AS CHAR), '')")) + ")";
        var metrics = string.Join(", ", push.Metrics.Select(m => $"cohort.{Quote(m.Name)}"));
        await using var command = new MySqlCommand($"SELECT {key}, {metrics}\nFROM (\n{push.CohortSql}\n) AS cohort", connection) { CommandTimeout = 0 };
        await using (var reader = await Guarded(push, timeout, () => command.ExecuteReaderAsync(ct)))
        {
            while (await Guarded(push, timeout, () => reader.ReadAsync(ct)))
            {
                yield return Read(reader, push);
            }
        }

        await Guarded(push, timeout, () => Execute(connection, "COMMIT", ct));
    }

    public async Task<IReadOnlyList<CohortColumn>> DescribeCohortAsync(string cohortSql, CancellationToken ct)
    {
        try
        {
            await using var connection = new MySqlConnection(_connectionString);
            await connection.OpenAsync(ct);
            await Execute(connection, $"SET SESSION TRANSACTION READ ONLY; {MariaDbSession.TimeBox(connection.ServerVersion, TimeSpan.FromSeconds(30))}; START TRANSACTION READ ONLY", ct);
            await using var command = new MySqlCommand($"SELECT * FROM (\n{cohortSql}\n) AS cohort LIMIT 0", connection);
            await using var reader = await command.ExecuteReaderAsync(ct);
            return [.. (await reader.GetColumnSchemaAsync(ct)).Select(c => new CohortColumn(c.ColumnName, c.DataTypeName ?? "unknown", IsNumeric(c.DataType)))];
        }
        catch (MySqlException e) when (!e.IsTransient && e.ErrorCode != MySqlErrorCode.UnableToConnectToHost)
        {
            throw new CohortQueryException(e.Message, e);
        }
        catch (MySqlException e)
        {
            throw new WarehouseUnavailableException(e.Message, e);
        }
    }

    private async Task<MySqlConnection> OpenReadOnlyAsync(PushDefinition push, TimeSpan timeout, CancellationToken ct)
    {
        var connection = new MySqlConnection(_connectionString);
        try
        {
            await Guarded(push, timeout, () => connection.OpenAsync(ct));
            await Guarded(push, timeout, () => Execute(connection,
                $"SET SESSION TRANSACTION READ ONLY; {MariaDbSession.TimeBox(connection.ServerVersion, timeout)}; START TRANSACTION READ ONLY", ct));
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// The server or the connection went away (a restart, a failover, a KILL), rather than refusing the
    /// query: a client-side error with no SQLSTATE wraps the broken socket.
    /// </summary>
    private static bool IsLost(MySqlException e) =>
        e.IsTransient
        || e.ErrorCode is MySqlErrorCode.UnableToConnectToHost
        || e.Number is ServerShutdown or ConnectionKilled
        || (e.SqlState is null && e.InnerException is IOException or EndOfStreamException or System.Net.Sockets.SocketException);

    /// <summary>MariaDB's errors about the cohort in words for the push's author; a lost server as something to retry.</summary>
    private static async Task<T> Guarded<T>(PushDefinition push, TimeSpan timeout, Func<Task<T>> step)
    {
        try
        {
            return await step();
        }
        catch (MySqlException e) when (IsLost(e))
        {
            throw new WarehouseUnavailableException($"push {push.Id}: the warehouse is unavailable: {e.Message}", e);
        }
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException)
        {
            // A connection cut while rows stream in surfaces from MySqlConnector as the socket's own error
            // (MySqlEndOfStreamException: "An incomplete response was received from the server").
            throw new WarehouseUnavailableException($"push {push.Id}: the warehouse is unavailable: {e.Message}", e);
        }
        catch (MySqlException e)
        {
            throw e.Number switch
            {
                _ when MariaDbSession.TimedOut.Contains(e.Number) => new PushRunFailedException(
                    $"push {push.Id}: the cohort query ran longer than its timeout of {timeout.TotalSeconds:0.#}s and was cancelled; make it faster or raise 'timeout' in the push file", e),
                ReadOnlyTransaction => new PushRunFailedException($"push {push.Id}: the cohort query tried to write; a cohort may only read", e),
                _ => new PushRunFailedException($"push {push.Id}: the cohort query failed: {e.Message}", e),
            };
        }
    }

    private static Task Guarded(PushDefinition push, TimeSpan timeout, Func<Task> step) => Guarded(push, timeout, async () =>
    {
        await step();
        return true;
    });

    private static CohortRow Read(MySqlDataReader reader, PushDefinition push)
    {
        var key = reader.GetString(0);
        var metrics = new decimal?[push.Metrics.Count];
        for (var i = 0; i < metrics.Length; i++)
        {
            var value = reader.GetValue(i + 1);
            metrics[i] = value switch
            {
                DBNull => null,
                decimal d => d,
                sbyte or byte or short or ushort or int or uint or long or ulong => Convert.ToDecimal(value, CultureInfo.InvariantCulture),
                double d when double.IsFinite(d) && Math.Abs(d) < 7.9e28 => (decimal)d,
                float f when float.IsFinite(f) => (decimal)f,
                _ => throw new PushRunFailedException(string.Create(CultureInfo.InvariantCulture,
                    $"push {push.Id}: metric '{push.Metrics[i].Name}' of row '{key}' is {value.GetType().Name} ({value}), not a number; cast it in the SELECT"), null),
            };
        }

        return new CohortRow(key, metrics);
    }

    private static bool IsNumeric(Type? type) => type is not null && (type == typeof(decimal) || type == typeof(double) || type == typeof(float)
        || type == typeof(sbyte) || type == typeof(byte) || type == typeof(short) || type == typeof(ushort)
        || type == typeof(int) || type == typeof(uint) || type == typeof(long) || type == typeof(ulong));

    private static async Task Execute(MySqlConnection connection, string sql, CancellationToken ct)
    {
        await using var command = new MySqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(ct);
    }

    private static string Quote(string identifier) => $"`{identifier}`";
}
