using ContextPush.Detector.State;
using Npgsql;

namespace ContextPush.Detector.Runs;

/// <summary>Runs are kept in detectordb's contextpush.push_runs, so every replica lists the same history, also after a restart.</summary>
public sealed class RunStore(DetectorState state)
{
    private const string Columns = "run_id, push_id, trigger, started_at, finished_at, status, rows_read, deltas_emitted, baseline, error";

    /// <summary>The newest run of each push, by push id.</summary>
    public async Task<Dictionary<string, RunRecord>> LatestAsync(CancellationToken ct)
    {
        await using var command = state.CreateCommand(
            $"SELECT DISTINCT ON (push_id) {Columns} FROM contextpush.push_runs ORDER BY push_id, started_at DESC");
        var latest = new Dictionary<string, RunRecord>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var run = Read(reader);
            latest[run.PushId] = run;
        }

        return latest;
    }

    public async Task SaveAsync(RunRecord run, CancellationToken ct)
    {
        await using var command = state.CreateCommand("""
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

    /// <summary>
    /// Runs of the push still listed as running while this run holds the push's lock: their Detector
    /// stopped before they ended (killed, or its machine gone), so they are marked interrupted. A run
    /// only waiting between its attempts is marked too, and records its own outcome when it ends.
    /// </summary>
    public async Task InterruptedAsync(string pushId, Guid takenOverBy, DateTimeOffset now, CancellationToken ct)
    {
        await using var command = state.CreateCommand("""
            UPDATE contextpush.push_runs SET status = 'interrupted', finished_at = @now,
                error = 'the Detector running it stopped before the run ended; run ' || @run || ' ran the push again'
            WHERE push_id = @push AND status = 'running' AND run_id <> @run::uuid
            """);
        command.Parameters.AddWithValue("push", pushId);
        command.Parameters.AddWithValue("run", takenOverBy.ToString());
        command.Parameters.AddWithValue("now", now);
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Whether the push ever completed a run: its first run records a baseline instead of sending.</summary>
    public async Task<bool> HasSucceededAsync(string pushId, CancellationToken ct)
    {
        await using var command = state.CreateCommand(
            "SELECT EXISTS (SELECT 1 FROM contextpush.push_runs WHERE push_id = @push AND status = 'succeeded')");
        command.Parameters.AddWithValue("push", pushId);
        return (bool)(await command.ExecuteScalarAsync(ct))!;
    }

    /// <summary>
    /// A page of a push's runs, newest first: those started before <paramref name="before"/> (the last
    /// run of the previous page; the run id breaks ties of the same start), at most <paramref name="limit"/>.
    /// </summary>
    public async Task<IReadOnlyList<RunRecord>> ListAsync(string pushId, (DateTimeOffset StartedAt, Guid RunId)? before, int limit, CancellationToken ct)
    {
        await using var command = state.CreateCommand($"""
            SELECT {Columns} FROM contextpush.push_runs
            WHERE push_id = @push AND (@at::timestamptz IS NULL OR (started_at, run_id) < (@at, @run))
            ORDER BY started_at DESC, run_id DESC LIMIT @limit
            """);
        command.Parameters.AddWithValue("push", pushId);
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset?>("at", before?.StartedAt));
        command.Parameters.Add(new NpgsqlParameter<Guid?>("run", before?.RunId));
        command.Parameters.AddWithValue("limit", limit);
        var runs = new List<RunRecord>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            runs.Add(Read(reader));
        }

        return runs;
    }

    public async Task<RunRecord?> FindAsync(string pushId, Guid runId, CancellationToken ct)
    {
        await using var command = state.CreateCommand($"SELECT {Columns} FROM contextpush.push_runs WHERE run_id = @run AND push_id = @push");
        command.Parameters.AddWithValue("run", runId);
        command.Parameters.AddWithValue("push", pushId);
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? Read(reader) : null;
    }

    private static RunRecord Read(NpgsqlDataReader reader) => new()
    {
        RunId = reader.GetGuid(0),
        PushId = reader.GetString(1),
        Trigger = reader.GetString(2),
        StartedAt = reader.GetFieldValue<DateTimeOffset>(3),
        FinishedAt = reader.IsDBNull(4) ? null : reader.GetFieldValue<DateTimeOffset>(4),
        Status = reader.GetString(5),
        RowsRead = reader.GetInt64(6),
        DeltasEmitted = reader.GetInt64(7),
        Baseline = reader.GetBoolean(8),
        Error = reader.IsDBNull(9) ? null : reader.GetString(9),
    };
}
