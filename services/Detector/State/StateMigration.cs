using Npgsql;
using NpgsqlTypes;

namespace ContextPush.Detector.State;

/// <summary>
/// Moves the tracking state an earlier version kept in a warehouse's <c>contextpush</c> schema into
/// detectordb, once per warehouse, so that no push re-sends or loses its baseline. The warehouse is
/// only read; its old schema is left for the operator to drop. Replicas take turns, and the one that
/// comes second finds the warehouse already recorded as migrated.
/// </summary>
public static class StateMigration
{
    private const string Recorded = "SELECT EXISTS (SELECT 1 FROM contextpush.migrated_warehouses WHERE warehouse = @warehouse)";

    /// <summary>Each table with the columns copied, in the order the COPY writes them, and their types.</summary>
    private static readonly (string Table, string Columns, NpgsqlDbType[] Types)[] Tables =
    [
        ("tracked_rows", "push_id, row_key, metrics, notified_at",
            [NpgsqlDbType.Text, NpgsqlDbType.Text, NpgsqlDbType.Array | NpgsqlDbType.Numeric, NpgsqlDbType.TimestampTz]),
        ("tracked_metrics", "push_id, metric_names", [NpgsqlDbType.Text, NpgsqlDbType.Array | NpgsqlDbType.Text]),
        ("metric_history", "push_id, row_key, day, metrics",
            [NpgsqlDbType.Text, NpgsqlDbType.Text, NpgsqlDbType.Date, NpgsqlDbType.Array | NpgsqlDbType.Numeric]),
        ("push_runs", "run_id, push_id, trigger, started_at, finished_at, status, rows_read, deltas_emitted, baseline, error",
            [NpgsqlDbType.Uuid, NpgsqlDbType.Text, NpgsqlDbType.Text, NpgsqlDbType.TimestampTz, NpgsqlDbType.TimestampTz, NpgsqlDbType.Text,
             NpgsqlDbType.Bigint, NpgsqlDbType.Bigint, NpgsqlDbType.Boolean, NpgsqlDbType.Text]),
    ];

    /// <summary>Copies what <paramref name="warehouseName"/> holds, unless it was copied before; the number of rows copied.</summary>
    public static async Task<long> FromWarehouseAsync(DetectorState state, string warehouseName, NpgsqlDataSource warehouse, CancellationToken ct)
    {
        await using (var done = state.CreateCommand(Recorded))
        {
            done.Parameters.AddWithValue("warehouse", warehouseName);
            if ((bool)(await done.ExecuteScalarAsync(ct))!)
            {
                return 0;
            }
        }

        await using var target = await state.OpenConnectionAsync(ct);
        await using var transaction = await target.BeginTransactionAsync(ct);
        await Execute(target, "SELECT pg_advisory_xact_lock(hashtext('contextpush.migration'), hashtext(@warehouse))", warehouseName, ct);
        await using (var again = new NpgsqlCommand(Recorded, target))
        {
            again.Parameters.AddWithValue("warehouse", warehouseName);
            if ((bool)(await again.ExecuteScalarAsync(ct))!)
            {
                return 0;
            }
        }

        await using var source = await warehouse.OpenConnectionAsync(ct);
        var copied = 0L;
        if (await HasOldSchemaAsync(source, ct))
        {
            await using var read = await source.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, ct);
            await Execute(source, "SET TRANSACTION READ ONLY", warehouseName, ct);
            foreach (var table in Tables)
            {
                copied += await CopyAsync(source, target, table, ct);
            }
        }

        await Execute(target, "INSERT INTO contextpush.migrated_warehouses (warehouse, rows_copied) VALUES (@warehouse, " + copied + ")", warehouseName, ct);
        await transaction.CommitAsync(ct);
        return copied;
    }

    private static async Task<bool> HasOldSchemaAsync(NpgsqlConnection warehouse, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(
            "SELECT to_regclass('contextpush.tracked_rows') IS NOT NULL AND to_regclass('contextpush.tracked_metrics') IS NOT NULL " +
            "AND to_regclass('contextpush.metric_history') IS NOT NULL AND to_regclass('contextpush.push_runs') IS NOT NULL", warehouse);
        return (bool)(await command.ExecuteScalarAsync(ct))!;
    }

    /// <summary>
    /// Streams one table through a staging copy, so rows detectordb already holds (a push that ran here
    /// before the old schema was found) keep their newer values.
    /// </summary>
    private static async Task<long> CopyAsync(NpgsqlConnection source, NpgsqlConnection target,
        (string Table, string Columns, NpgsqlDbType[] Types) table, CancellationToken ct)
    {
        var staging = "cp_migrate_" + table.Table;
        await Execute(target, $"CREATE TEMP TABLE {staging} (LIKE contextpush.{table.Table}) ON COMMIT DROP", "", ct);
        var rows = 0L;
        await using (var writer = await target.BeginBinaryImportAsync($"COPY {staging} ({table.Columns}) FROM STDIN (FORMAT BINARY)", ct))
        {
            await using var command = new NpgsqlCommand($"SELECT {table.Columns} FROM contextpush.{table.Table}", source);
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                await writer.StartRowAsync(ct);
                for (var i = 0; i < table.Types.Length; i++)
                {
                    if (reader.IsDBNull(i))
                    {
                        await writer.WriteNullAsync(ct);
                    }
                    else
                    {
                        // A metric may be null inside its array, which a plain read of numeric[] refuses.
                        var value = table.Types[i] == (NpgsqlDbType.Array | NpgsqlDbType.Numeric) ? reader.GetFieldValue<decimal?[]>(i) : reader.GetValue(i);
                        await writer.WriteAsync(value, table.Types[i], ct);
                    }
                }

                rows++;
            }

            await writer.CompleteAsync(ct);
        }

        await Execute(target, $"INSERT INTO contextpush.{table.Table} ({table.Columns}) SELECT {table.Columns} FROM {staging} ON CONFLICT DO NOTHING", "", ct);
        return rows;
    }

    private static async Task Execute(NpgsqlConnection connection, string sql, string warehouse, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
        if (sql.Contains("@warehouse", StringComparison.Ordinal))
        {
            command.Parameters.AddWithValue("warehouse", warehouse);
        }

        await command.ExecuteNonQueryAsync(ct);
    }
}
