using System.Diagnostics;
using ContextPush.Contracts;
using ContextPush.Detector.Runs;
using ContextPush.Detector.State;
using ContextPush.Detector.Telemetry;
using ContextPush.PushFiles;
using ContextPush.ServiceDefaults.Messaging;
using ContextPush.ServiceDefaults.Telemetry;
using ContextPush.Warehouses;
using MassTransit;
using Microsoft.Extensions.Options;
using Npgsql;

namespace ContextPush.Detector.Detection;

/// <summary>
/// Runs one push: the cohort, read from the warehouse in a read-only, time-boxed query, is copied into
/// a temporary table of detectordb and diffed there against the last notified state; the deltas are streamed out and published in
/// confirmed batches; only then is the new state recorded. A crash before that re-emits the same
/// deltas (same DeltaIds) on the next run, and the consumers absorb them.
/// </summary>
public sealed class PushRunner(
    WarehouseSources warehouses,
    DetectorState state,
    IBus bus,
    RunStore runs,
    IDetectionStages stages,
    IOptions<DetectorOptions> options,
    TimeProvider clock,
    DetectorMetrics metrics,
    ILogger<PushRunner> logger,
    PublishConfirmations confirmations)
{
    private static readonly ActivitySource Source = new(Microsoft.Extensions.Hosting.Extensions.ContextPushTelemetryName);

    public async Task<RunRecord> RunAsync(PushDefinition push, string trigger, Guid runId, CancellationToken ct)
    {
        using var activity = Source.StartActivity("detect " + push.Id);
        activity?.SetTag(DeltaTagNames.PushId, push.Id);
        activity?.SetTag(DeltaTagNames.RunId, runId);
        var run = new RunRecord { RunId = runId, PushId = push.Id, Trigger = trigger, StartedAt = clock.GetUtcNow(), Status = "running" };
        await runs.SaveAsync(run, ct);
        try
        {
            run = await DetectAndPublishWithRetriesAsync(push, run, ct) with { Status = "succeeded", FinishedAt = clock.GetUtcNow() };
            logger.LogInformation("Push {PushId} run {RunId}: {RowsRead} rows read, {DeltasEmitted} deltas emitted{Baseline} in {DurationMs:0} ms",
                push.Id, run.RunId, run.RowsRead, run.DeltasEmitted, run.Baseline ? " (baseline recorded)" : "", run.DurationMs);
        }
        catch (PushBusyException e)
        {
            run = run with { Status = "skipped", FinishedAt = clock.GetUtcNow(), Error = e.Message };
            logger.LogInformation("Push {PushId} run {RunId} skipped: another run is in progress", push.Id, run.RunId);
        }
        catch (Exception e) when (e is NpgsqlException or PushRunFailedException or TimeoutException or OperationCanceledException
                                      or MassTransitException or InvalidOperationException or WarehouseUnavailableException)
        {
            // A broken push is reported on its run and in the listing; the scheduler and the other pushes go on.
            run = run with { Status = "failed", FinishedAt = clock.GetUtcNow(), Error = e.Message };
            activity?.SetStatus(ActivityStatusCode.Error, e.Message);
            logger.LogError(e, "Push {PushId} run {RunId} failed: {Error}", push.Id, run.RunId, e.Message);
        }

        metrics.RunFinished(push.Id, run.Status, run.DurationMs);
        await runs.SaveAsync(run, CancellationToken.None);
        return run;
    }

    /// <summary>What a run would emit now, without publishing or recording anything.</summary>
    public async Task<PushPreview> PreviewAsync(PushDefinition push, int limit, CancellationToken ct)
    {
        await warehouses.ReadyAsync(push.Warehouse, ct);
        await using var connection = await state.OpenConnectionAsync(ct);
        try
        {
            var (baseline, rowsRead, stats) = await DetectAsync(connection, push, ct);
            var deltas = new List<DeltaDetected>();
            await foreach (var delta in ReadDeltasAsync(connection, push, Guid.Empty, stats, ct))
            {
                if (deltas.Count == limit)
                {
                    break;
                }

                deltas.Add(delta);
            }

            var total = await ScalarAsync<long>(connection, TrackingSql.CountDeltas(push), push.Id, ct);
            return new PushPreview(push.Id, baseline, rowsRead, total, deltas);
        }
        finally
        {
            await ExecuteAsync(connection, TrackingSql.DropWorkTables, push.Id, CancellationToken.None);
        }
    }

    private async Task<RunRecord> DetectAndPublishWithRetriesAsync(PushDefinition push, RunRecord run, CancellationToken ct)
    {
        var delay = options.Value.RunRetryDelay;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await DetectAndPublishAsync(push, run, ct);
            }
            catch (Exception e) when ((e is NpgsqlException n && IsTransient(n)) || e is BatchNotPublishedException or WarehouseUnavailableException)
            {
                if (attempt >= options.Value.RunAttempts || ct.IsCancellationRequested)
                {
                    throw;
                }

                logger.LogWarning("Push {PushId} run {RunId}: attempt {Attempt} of {Attempts} failed ({Error}); trying again in {Delay}",
                    push.Id, run.RunId, attempt, options.Value.RunAttempts, e.Message, delay);
                await Task.Delay(delay, clock, ct);
                delay *= 2;
            }
        }
    }

    /// <summary>Lost connections, and a server shutting down or starting up (57P01-57P03), besides what Npgsql calls transient.</summary>
    internal static bool IsTransient(NpgsqlException e) =>
        e.IsTransient || e is PostgresException { SqlState: "57P01" or "57P02" or "57P03" } || e is PostgresException p && p.SqlState.StartsWith("08", StringComparison.Ordinal);

    private async Task<RunRecord> DetectAndPublishAsync(PushDefinition push, RunRecord run, CancellationToken ct)
    {
        var runSpan = Activity.Current?.Context ?? default;
        await warehouses.ReadyAsync(push.Warehouse, ct);
        await using var connection = await state.OpenConnectionAsync(ct);
        await using var pushLock = await PushLock.TryAcquireAsync(connection, push.Id, ct) ?? throw new PushBusyException(push.Id);
        await runs.InterruptedAsync(push.Id, run.RunId, clock.GetUtcNow(), ct);
        try
        {
            var (baseline, rowsRead, stats) = await DetectAsync(connection, push, ct);
            var emitted = 0L;
            var batch = new List<DeltaDetected>(options.Value.PublishBatchSize);
            await foreach (var delta in ReadDeltasAsync(connection, push, run.RunId, stats, ct))
            {
                batch.Add(delta);
                if (batch.Count == batch.Capacity)
                {
                    await AddHistoryAsync(push, batch, ct);
                    emitted += await PublishAsync(push.Id, batch, runSpan, ct);
                }
            }

            await AddHistoryAsync(push, batch, ct);
            emitted += await PublishAsync(push.Id, batch, runSpan, ct);
            run = run with { RowsRead = rowsRead, DeltasEmitted = emitted, Baseline = baseline };
            await stages.DeltasPublishedAsync(push, run, ct);

            await using var transaction = await connection.BeginTransactionAsync(ct);
            await using (var record = new NpgsqlCommand(TrackingSql.RecordState(baseline), connection) { CommandTimeout = 0 })
            {
                record.Parameters.AddWithValue("push", push.Id);
                record.Parameters.AddWithValue("names", push.Metrics.Select(m => m.Name).ToArray());
                await record.ExecuteNonQueryAsync(ct);
            }

            await using (var history = new NpgsqlCommand(TrackingSql.RecordHistory, connection) { CommandTimeout = 0 })
            {
                history.Parameters.AddWithValue("push", push.Id);
                history.Parameters.AddWithValue("day", DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime));
                await history.ExecuteNonQueryAsync(ct);
            }

            await transaction.CommitAsync(ct);
            return run;
        }
        finally
        {
            // A connection detectordb dropped took its work tables with it; the original error is the one to report.
            if (connection.FullState == System.Data.ConnectionState.Open)
            {
                await ExecuteAsync(connection, TrackingSql.DropWorkTables, push.Id, CancellationToken.None);
            }
        }
    }

    /// <summary>Each delta's history for the Throttler, on a second connection while the first streams the deltas.</summary>
    private async Task AddHistoryAsync(PushDefinition push, List<DeltaDetected> batch, CancellationToken ct)
    {
        if (batch.Count == 0 || !AccountHistory.IsNeeded(push))
        {
            return;
        }

        var timeout = push.Timeout ?? options.Value.DefaultStatementTimeout;
        var engine = warehouses.EngineOf(push.Warehouse);
        if (push.TypedSettings.Throttle.Priority.HistorySql is not null && engine != WarehouseEngine.Postgres)
        {
            try
            {
                await WarehouseHistory.AddAsync(warehouses.Lookup(push.Warehouse), engine, push, batch, timeout, ct);
                return;
            }
            catch (WarehouseRefusal e)
            {
                throw new PushRunFailedException($"push {push.Id}: throttle.priority.history_sql failed in the warehouse: {e.Message}", e);
            }
        }

        try
        {
            // Only a push's own history query reads the warehouse.
            var warehouse = push.TypedSettings.Throttle.Priority.HistorySql is null ? state.Source : warehouses.Get(push.Warehouse);
            await AccountHistory.AddAsync(state.Source, warehouse, push, batch, timeout, ct);
        }
        catch (PostgresException e) when (!IsTransient(e))
        {
            throw e.SqlState switch
            {
                PostgresErrorCodes.QueryCanceled => new PushRunFailedException(
                    $"push {push.Id}: throttle.priority.history_sql ran longer than the push's timeout of {timeout.TotalSeconds:0.#}s and was cancelled; make it faster or raise 'timeout'", e),
                PostgresErrorCodes.ReadOnlySqlTransaction => new PushRunFailedException(
                    $"push {push.Id}: throttle.priority.history_sql tried to write; a history query may only read", e),
                _ => new PushRunFailedException($"push {push.Id}: the history query (throttle.priority.history_sql, or the recorded history) failed: {e.MessageText}", e),
            };
        }
    }

    /// <summary>
    /// Copies the warehouse's cohort into cp_cohort (binary COPY, streamed: the cohort is never held in
    /// memory) and fills cp_deltas. A cohort that fails part way leaves nothing behind: the COPY is
    /// cancelled with it, and the work tables are temporary.
    /// </summary>
    private async Task<(bool Baseline, long RowsRead, Dictionary<string, MetricStats> Stats)> DetectAsync(NpgsqlConnection connection, PushDefinition push, CancellationToken ct)
    {
        var baseline = await IsBaselineAsync(connection, push, ct);
        var timeout = push.Timeout ?? options.Value.DefaultStatementTimeout;
        await ExecuteAsync(connection, TrackingSql.CreateWorkTables, push.Id, ct);
        await CopyCohortAsync(connection, push, timeout, ct);

        await using var transaction = await connection.BeginTransactionAsync(ct);
        await ExecuteAsync(connection, TrackingSql.DiffMemory, push.Id, ct);
        await using (var duplicates = new NpgsqlCommand(TrackingSql.FirstDuplicateKey, connection))
        {
            if (await duplicates.ExecuteScalarAsync(ct) is string key)
            {
                throw new PushRunFailedException(
                    $"push {push.Id}: the key is not unique in the cohort ('{key}' appears more than once); choose key columns that identify one row", null);
            }
        }

        await ExecuteAsync(connection, TrackingSql.FillDeltas(push, baseline), push.Id, ct);

        var rowsRead = await ScalarAsync<long>(connection, TrackingSql.CountCohort, push.Id, ct);
        var stats = await CohortStatsAsync(connection, push, ct);
        await transaction.CommitAsync(ct);
        return (baseline, rowsRead, stats);
    }

    private async Task CopyCohortAsync(NpgsqlConnection connection, PushDefinition push, TimeSpan timeout, CancellationToken ct)
    {
        var metricCount = push.Metrics.Count;
        await using var writer = await connection.BeginBinaryImportAsync(TrackingSql.CopyCohort, ct);
        await foreach (var row in warehouses.Connector(push.Warehouse).ReadCohortAsync(push, timeout, ct))
        {
            if (row.Metrics.Length != metricCount)
            {
                throw new PushRunFailedException($"push {push.Id}: the warehouse gave {row.Metrics.Length} metrics for row '{row.Key}', the push has {metricCount}", null);
            }

            await writer.StartRowAsync(ct);
            await writer.WriteAsync(row.Key, NpgsqlTypes.NpgsqlDbType.Text, ct);
            await writer.WriteAsync(row.Metrics, NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Numeric, ct);
        }

        await writer.CompleteAsync(ct);
    }

    private static async Task<Dictionary<string, MetricStats>> CohortStatsAsync(NpgsqlConnection connection, PushDefinition push, CancellationToken ct)
    {
        var stats = new Dictionary<string, MetricStats>();
        await using var command = new NpgsqlCommand(TrackingSql.CohortStats(push), connection);
        await using var reader = await command.ExecuteReaderAsync(ct);
        if (await reader.ReadAsync(ct))
        {
            for (var i = 0; i < push.Metrics.Count; i++)
            {
                if (!reader.IsDBNull(i * 3))
                {
                    stats[push.Metrics[i].Name] = new MetricStats(reader.GetDecimal(i * 3),
                        reader.IsDBNull((i * 3) + 1) ? null : reader.GetDecimal((i * 3) + 1), reader.GetInt64((i * 3) + 2));
                }
            }
        }

        return stats;
    }

    /// <summary>
    /// A new push records a baseline instead of sending (unless it asks to send on its first run), and
    /// so does a push whose metric list changed: its tracked values no longer line up with the metrics.
    /// </summary>
    private async Task<bool> IsBaselineAsync(NpgsqlConnection connection, PushDefinition push, CancellationToken ct)
    {
        if (!await runs.HasSucceededAsync(push.Id, ct))
        {
            return !push.SendOnFirstRun;
        }

        await using var command = new NpgsqlCommand(TrackingSql.TrackedMetricNames, connection);
        command.Parameters.AddWithValue("push", push.Id);
        var tracked = await command.ExecuteScalarAsync(ct) as string[];
        if (tracked is not null && tracked.SequenceEqual(push.Metrics.Select(m => m.Name)))
        {
            return false;
        }

        logger.LogWarning("Push {PushId}: its metrics changed from [{Before}] to [{After}]; this run records a new baseline and sends nothing",
            push.Id, string.Join(", ", tracked ?? []), string.Join(", ", push.Metrics.Select(m => m.Name)));
        return true;
    }

    private async IAsyncEnumerable<DeltaDetected> ReadDeltasAsync(NpgsqlConnection connection, PushDefinition push, Guid runId,
        IReadOnlyDictionary<string, MetricStats> stats, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(TrackingSql.ReadDeltas(push), connection);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            yield return ToMessage(push, runId, ReadRow(push, reader)) with { CohortStats = stats };
        }
    }

    /// <summary>
    /// Publishes a batch concurrently and waits for all broker confirms together. Each delta starts a
    /// trace of its own, linked to the run's: on-call follows one delta through the services, not a run
    /// of thousands.
    /// </summary>
    private async Task<int> PublishAsync(string pushId, List<DeltaDetected> batch, ActivityContext run, CancellationToken ct)
    {
        var count = batch.Count;
        if (count == 0)
        {
            return 0;
        }

        var spans = new List<Activity?>(count);
        try
        {
            // Inside the try: a bus being restarted refuses a publish at once (TransportUnavailableException),
            // which is as transient as a lost confirm.
            var sends = new List<Task>(count);
            var links = run == default ? null : new[] { new ActivityLink(run) };
            foreach (var delta in batch)
            {
                Activity.Current = null;
                var span = Source.StartActivity("delta " + delta.Kind.ToString().ToLowerInvariant(), ActivityKind.Producer, default(ActivityContext),
                    DeltaTagNames.Of(pushId, delta.AccountKey, delta.DeltaId),
                    links);
                spans.Add(span);
                sends.Add(bus.Publish(delta, ct));
                metrics.Detected(pushId, delta.Kind);
            }

            Activity.Current = null;
            await Task.WhenAll(sends).WaitAsync(options.Value.PublishTimeout, clock, ct);
            confirmations.Confirmed();
        }
        catch (TimeoutException)
        {
            confirmations.GivenUp();
            throw new BatchNotPublishedException($"{count} deltas of push {pushId} not confirmed by the broker within {options.Value.PublishTimeout}");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The broker going away mid-batch fails the publishes rather than holding them: as transient as a lost confirm.
            throw new BatchNotPublishedException($"{count} deltas of push {pushId} not taken by the broker: {e.Message}", e);
        }
        finally
        {
            spans.ForEach(s => s?.Dispose());
        }

        batch.Clear();
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
            PushSettings = push.TypedSettings,
            Tolerances = push.Metrics.ToDictionary(m => m.Name, m => new MetricTolerance(m.Tolerance, m.RelativeTolerance)),
            MetricFormats = push.Metrics.Any(m => m.Format is not null) ? push.Metrics.Where(m => m.Format is not null).ToDictionary(m => m.Name, m => m.Format!) : null,
        };
    }

    private static DetectedRow ReadRow(PushDefinition push, NpgsqlDataReader reader) => new(
        reader.GetString(0),
        (DeltaKind)reader.GetInt32(1),
        Metrics(push, reader, 2),
        Metrics(push, reader, 3));

    /// <summary>The array's values by the push's metric names, in order.</summary>
    private static Dictionary<string, decimal?> Metrics(PushDefinition push, NpgsqlDataReader reader, int ordinal)
    {
        var metrics = new Dictionary<string, decimal?>(push.Metrics.Count);
        if (!reader.IsDBNull(ordinal))
        {
            var values = reader.GetFieldValue<decimal?[]>(ordinal);
            for (var i = 0; i < push.Metrics.Count && i < values.Length; i++)
            {
                metrics[push.Metrics[i].Name] = values[i];
            }
        }

        return metrics;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, string pushId, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
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
