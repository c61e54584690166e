using System.Collections.Concurrent;
using Npgsql;

namespace ContextPush.Detector.Runs;

/// <summary>Runs are kept in contextpush.push_runs; the latest of each push is also cached for the listing.</summary>
public sealed class RunStore(NpgsqlDataSource warehouse)
{
    private readonly ConcurrentDictionary<string, RunRecord> _latest = new();

    public RunRecord? Latest(string pushId) => _latest.GetValueOrDefault(pushId);

    public async Task SaveAsync(RunRecord run, CancellationToken ct)
    {
        _latest[run.PushId] = run;
        await using var command = warehouse.CreateCommand("""
            INSERT INTO contextpush.push_runs (run_id, push_id, trigger, started_at, finished_at, status, rows_read, deltas_emitted, baseline, error)
            VALUES (@run, @push, @trigger, @started, @finished, @status, @rows, @deltas, @baseline, @error)
            ON CONFLICT (run_id) DO UPDATE SET finished_at = excluded.finished_at, status = excluded.status,
                rows_read = excluded.rows_read, deltas_emitted = excluded.deltas_emitted, baseline = excluded.baseline, error = excluded.error
            """);
        command.Parameters.AddWithValue("run", run.RunId);
        command.Parameters.AddWithValue("push", run.PushId);
        command.Parameters.AddWithValue("trigger", run.Trigger);
        command.Parameters.AddWithValue("started", run.StartedAt);
        command.Parameters.AddWithValue("finished", (object?)run.FinishedAt ?? DBNull.Value);
        command.Parameters.AddWithValue("status", run.Status);
        command.Parameters.AddWithValue("rows", run.RowsRead);
        command.Parameters.AddWithValue("deltas", run.DeltasEmitted);
        command.Parameters.AddWithValue("baseline", run.Baseline);
        command.Parameters.AddWithValue("error", (object?)run.Error ?? DBNull.Value);
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Whether the push ever completed a run: its first run records a baseline instead of sending.</summary>
    public async Task<bool> HasSucceededAsync(string pushId, CancellationToken ct)
    {
        await using var command = warehouse.CreateCommand(
            "SELECT EXISTS (SELECT 1 FROM contextpush.push_runs WHERE push_id = @push AND status = 'succeeded')");
        command.Parameters.AddWithValue("push", pushId);
        return (bool)(await command.ExecuteScalarAsync(ct))!;
    }

    public async Task<RunRecord?> FindAsync(string pushId, Guid runId, CancellationToken ct)
    {
        await using var command = warehouse.CreateCommand("""
            SELECT trigger, started_at, finished_at, status, rows_read, deltas_emitted, baseline, error
            FROM contextpush.push_runs WHERE run_id = @run AND push_id = @push
            """);
        command.Parameters.AddWithValue("run", runId);
        command.Parameters.AddWithValue("push", pushId);
        await using var reader = await command.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct))
        {
            return null;
        }

        return new RunRecord
        {
            RunId = runId,
            PushId = pushId,
            Trigger = reader.GetString(0),
            StartedAt = reader.GetFieldValue<DateTimeOffset>(1),
            FinishedAt = reader.IsDBNull(2) ? null : reader.GetFieldValue<DateTimeOffset>(2),
            Status = reader.GetString(3),
            RowsRead = reader.GetInt64(4),
            DeltasEmitted = reader.GetInt64(5),
            Baseline = reader.GetBoolean(6),
            Error = reader.IsDBNull(7) ? null : reader.GetString(7),
        };
    }
}
