using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using ContextPush.Contracts;
using ContextPush.Detector.Pushes;
using ContextPush.Detector.Runs;
using MassTransit;
using Microsoft.Extensions.Options;
using Npgsql;

namespace ContextPush.Detector.Detection;

/// <summary>
/// Runs one push: materialise the cohort, diff it against the last notified state inside
/// PostgreSQL, publish the deltas in confirmed batches, and only then record the new state, all in
/// one transaction, so a crash before the commit re-emits the same deltas next time.
/// </summary>
public sealed class PushRunner(
    NpgsqlDataSource warehouse,
    IBus bus,
    RunStore runs,
    IOptions<DetectorOptions> options,
    TimeProvider clock,
    ILogger<PushRunner> logger)
{
    private static readonly ActivitySource Activity = new(Microsoft.Extensions.Hosting.Extensions.ContextPushTelemetryName);
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _running = new();

    /// <summary>Runs a push now; a second run of the same push waits for the first to finish.</summary>
    public async Task<RunRecord> RunAsync(PushDefinition push, string trigger, Guid runId, CancellationToken ct)
    {
        var gate = _running.GetOrAdd(push.Id, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(ct);
        try
        {
            return await RunExclusiveAsync(push, trigger, runId, ct);
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task<RunRecord> RunExclusiveAsync(PushDefinition push, string trigger, Guid runId, CancellationToken ct)
    {
        using var activity = Activity.StartActivity("detect " + push.Id);
        activity?.SetTag("contextpush.push_id", push.Id);
        var run = new RunRecord { RunId = runId, PushId = push.Id, Trigger = trigger, StartedAt = clock.GetUtcNow(), Status = "running" };
        activity?.SetTag("contextpush.run_id", run.RunId);
        await runs.SaveAsync(run, ct);
        try
        {
            run = await DetectAndPublishAsync(push, run, ct);
            run = run with { Status = "succeeded", FinishedAt = clock.GetUtcNow() };
            logger.LogInformation("Push {PushId} run {RunId}: {RowsRead} rows read, {DeltasEmitted} deltas emitted{Baseline} in {DurationMs:0} ms",
                push.Id, run.RunId, run.RowsRead, run.DeltasEmitted, run.Baseline ? " (baseline recorded)" : "", run.DurationMs);
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or OperationCanceledException or MassTransitException or InvalidOperationException)
        {
            // A broken push is reported on its run and in the listing; the scheduler and the other pushes go on.
            run = run with { Status = "failed", FinishedAt = clock.GetUtcNow(), Error = e.Message };
            activity?.SetStatus(ActivityStatusCode.Error, e.Message);
            logger.LogError(e, "Push {PushId} run {RunId} failed: {Error}", push.Id, run.RunId, e.Message);
        }

        await runs.SaveAsync(run, CancellationToken.None);
        return run;
    }

    private async Task<RunRecord> DetectAndPublishAsync(PushDefinition push, RunRecord run, CancellationToken ct)
    {
        await using var connection = await warehouse.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);

        var baseline = !push.SendOnFirstRun && !await ScalarAsync<bool>(connection, TrackingSql.HasCompletedRun, push.Id, ct);
        await ExecuteAsync(connection, TrackingSql.MaterializeCohort(push), push.Id, ct);
        var rowsRead = await ScalarAsync<long>(connection, "SELECT count(*) FROM cp_cohort", push.Id, ct);
        await ExecuteAsync(connection, TrackingSql.Diff(push, baseline), push.Id, ct);

        var emitted = 0L;
        var batch = new List<DeltaDetected>(options.Value.PublishBatchSize);
        await using (var read = new NpgsqlCommand(TrackingSql.ReadDeltas, connection, transaction))
        await using (var reader = await read.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                batch.Add(ToMessage(push, run.RunId, ReadRow(reader)));
                if (batch.Count == batch.Capacity)
                {
                    emitted += await PublishAsync(batch, ct);
                }
            }
        }

        emitted += await PublishAsync(batch, ct);
        await ExecuteAsync(connection, TrackingSql.RecordState(baseline), push.Id, ct);
        await transaction.CommitAsync(ct);
        return run with { RowsRead = rowsRead, DeltasEmitted = emitted, Baseline = baseline };
    }

    /// <summary>Publishes a batch concurrently and waits for all broker confirms together.</summary>
    private async Task<int> PublishAsync(List<DeltaDetected> batch, CancellationToken ct)
    {
        var count = batch.Count;
        if (count > 0)
        {
            await bus.PublishBatch(batch, ct);
            batch.Clear();
        }

        return count;
    }

    private DeltaDetected ToMessage(PushDefinition push, Guid runId, DetectedRow row)
    {
        var identifying = row.Kind == DeltaKind.Left ? row.PreviousMetrics : row.Metrics;
        return new DeltaDetected
        {
            CorrelationId = NewId.NextGuid(),
            DeltaId = DeltaIdentity.Create(push.Id, row.Key, row.Kind, identifying),
            RunId = runId,
            PushId = push.Id,
            Topic = push.Topic,
            AccountKey = row.Key,
            Kind = row.Kind,
            Metrics = row.Metrics,
            PreviousMetrics = row.PreviousMetrics,
            DetectedAt = clock.GetUtcNow(),
            Settings = push.Settings,
        };
    }

    private static DetectedRow ReadRow(NpgsqlDataReader reader) => new(
        reader.GetString(0),
        (DeltaKind)reader.GetInt32(1),
        reader.IsDBNull(2) ? new Dictionary<string, decimal?>() : ParseMetrics(reader.GetString(2)),
        reader.IsDBNull(3) ? new Dictionary<string, decimal?>() : ParseMetrics(reader.GetString(3)));

    private static Dictionary<string, decimal?> ParseMetrics(string json)
    {
        var metrics = new Dictionary<string, decimal?>();
        using var document = JsonDocument.Parse(json);
        foreach (var property in document.RootElement.EnumerateObject())
        {
            metrics[property.Name] = property.Value.ValueKind == JsonValueKind.Number ? property.Value.GetDecimal() : null;
        }

        return metrics;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, string pushId, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("push", pushId);
        await command.ExecuteNonQueryAsync(ct);
    }

    private static async Task<T> ScalarAsync<T>(NpgsqlConnection connection, string sql, string pushId, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("push", pushId);
        return (T)(await command.ExecuteScalarAsync(ct))!;
    }
}
