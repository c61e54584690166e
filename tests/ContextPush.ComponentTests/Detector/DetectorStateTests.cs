using ContextPush.Contracts;
using ContextPush.Detector;
using ContextPush.Detector.Detection;
using ContextPush.Detector.State;
using MassTransit;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace ContextPush.ComponentTests.Detector;

/// <summary>
/// The Detector's state in detectordb: the warehouse is only read, a cohort lost part way leaves no
/// trace, and state an earlier version kept in the warehouse moves over once, baseline intact.
/// </summary>
public sealed class DetectorStateTests(ServersFixture fixture) : IAsyncLifetime
{
    private DetectorTestBed _bed = null!;

    public async ValueTask InitializeAsync() => _bed = await DetectorTestBed.StartAsync(fixture);

    public ValueTask DisposeAsync() => _bed.DisposeAsync();

    [Fact]
    public async Task A_warehouse_role_that_may_only_select_the_cohorts_table_runs_a_push_and_the_warehouse_gets_no_tables()
    {
        var database = new NpgsqlConnectionStringBuilder(_bed.Warehouse.ConnectionString).Database!;
        var role = database + "_reader";
        await _bed.ExecuteAsync($"""
            DROP ROLE IF EXISTS "{role}";
            CREATE ROLE "{role}" LOGIN;
            REVOKE CREATE ON SCHEMA public FROM PUBLIC;
            REVOKE TEMPORARY ON DATABASE "{database}" FROM PUBLIC;
            GRANT SELECT ON accounts TO "{role}";
            """);
        await using var readOnly = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(_bed.Warehouse.ConnectionString) { Username = role }.ConnectionString);
        var sources = _bed.NewSources(readOnly);
        await sources.ReadyAsync(WarehouseSources.DefaultName, TestContext.Current.CancellationToken);
        var runner = _bed.Runner(sources: sources);
        var push = DetectorTestBed.Load(DetectorTestBed.Push + "first_run: send\n");

        var run = await runner.RunAsync(push, "test", NewId.NextGuid(), TestContext.Current.CancellationToken);

        Assert.True(run.Status == "succeeded", run.Error);
        Assert.Equal(["1", "2"], _bed.Published(run).Select(d => d.AccountKey).Order());
        Assert.False(await _bed.ScalarAsync<bool>("SELECT to_regnamespace('contextpush') IS NOT NULL"));
        Assert.Equal(2L, await _bed.StateScalarAsync<long>("SELECT count(*) FROM contextpush.tracked_rows WHERE push_id = 'churn-risk'"));
    }

    [Fact]
    public async Task A_warehouse_lost_mid_stream_fails_the_run_and_records_nothing_of_it()
    {
        await _bed.RunAsync();
        var tracked = await _bed.TrackedAsync();
        // 20,000 rows streamed over about four seconds: the connection is cut while the copy is under way.
        var streaming = DetectorTestBed.Push.Replace("""
              SELECT id AS account_id, churn_probability, usage_drop
              FROM accounts WHERE churn_probability > 0.8 OR usage_drop > 0.2
            """, """
              SELECT g AS account_id, 0.99 AS churn_probability, 0.5 AS usage_drop
              FROM generate_series(1, 20000) g, LATERAL (SELECT CASE WHEN g % 500 = 0 THEN pg_sleep(0.1) END) pause
            """);
        Assert.NotEqual(DetectorTestBed.Push, streaming);
        var runner = _bed.Runner(options: new DetectorOptions { RunAttempts = 1 });

        var running = runner.RunAsync(DetectorTestBed.Load(streaming), "test", NewId.NextGuid(), TestContext.Current.CancellationToken);
        await Eventually.UntilAsync("the Detector copying the cohort into detectordb", async () =>
            await _bed.StateScalarAsync<long>("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'COPY cp_cohort%'") > 0);
        await Eventually.UntilAsync("the cohort query cut off in the warehouse", async () =>
            await _bed.ScalarAsync<long>("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND state = 'active' AND query LIKE 'SELECT coalesce(cohort.%' " +
                                         "AND pg_terminate_backend(pid)") > 0);
        var run = await running;

        Assert.Equal("failed", run.Status);
        Assert.Contains("terminating connection", run.Error);
        Assert.Empty(_bed.Published(run));
        Assert.Equal(tracked, await _bed.TrackedAsync());
    }

    [Fact]
    public async Task Metrics_with_more_digits_than_a_decimal_holds_in_their_mean_still_run()
    {
        var run = await _bed.RunAsync(DetectorTestBed.Push.Replace("""
              SELECT id AS account_id, churn_probability, usage_drop
              FROM accounts WHERE churn_probability > 0.8 OR usage_drop > 0.2
            """, """
              SELECT g AS account_id, 1 / 3.0 AS churn_probability, (g % 7) / 10.0 AS usage_drop
              FROM generate_series(1, 100) g
            """) + "first_run: send\n");

        Assert.True(run.Status == "succeeded", run.Error);
        Assert.Equal(100, _bed.Published(run).Count);
    }

    [Fact]
    public async Task A_metric_too_large_for_a_decimal_fails_the_run_naming_the_row()
    {
        var run = await _bed.RunAsync(DetectorTestBed.Push.Replace("SELECT id AS account_id, churn_probability,", "SELECT id AS account_id, churn_probability * 1e30 AS churn_probability,"));

        Assert.Equal("failed", run.Status);
        Assert.Contains("push churn-risk: a metric of row '1' cannot be read as a number", run.Error);
    }

    [Fact]
    public async Task State_an_earlier_version_kept_in_the_warehouse_moves_to_detectordb_once_and_the_push_keeps_its_baseline()
    {
        // The warehouse as the previous version left it: the push ran there, with accounts 1 and 2 notified.
        await _bed.Warehouse.ApplySchemaAsync(TrackingSql.Schema, TestContext.Current.CancellationToken);
        await _bed.ExecuteAsync("""
            INSERT INTO contextpush.tracked_metrics VALUES ('churn-risk', ARRAY['churn_probability', 'usage_drop']);
            INSERT INTO contextpush.tracked_rows VALUES ('churn-risk', '1', ARRAY[0.90, 0.00], now()), ('churn-risk', '2', ARRAY[0.10, NULL], now());
            INSERT INTO contextpush.metric_history VALUES ('churn-risk', '1', current_date - 1, ARRAY[0.88, 0.00]);
            INSERT INTO contextpush.push_runs (run_id, push_id, trigger, started_at, finished_at, status, rows_read, deltas_emitted, baseline)
            VALUES (gen_random_uuid(), 'churn-risk', 'schedule', now() - interval '1 day', now() - interval '1 day', 'succeeded', 2, 0, true);
            UPDATE accounts SET churn_probability = 0.97 WHERE id = 1;
            """);
        await _bed.StateExecuteAsync("DELETE FROM contextpush.migrated_warehouses");
        var sources = _bed.NewSources();

        var run = await _bed.Runner(sources: sources).RunAsync(DetectorTestBed.Load(DetectorTestBed.Push), "test", NewId.NextGuid(), TestContext.Current.CancellationToken);

        Assert.True(run.Status == "succeeded", run.Error);
        Assert.False(run.Baseline);
        // Account 1 moved from what was notified in the warehouse; account 2's usage_drop went from null to 0.30.
        var deltas = _bed.Published(run).OrderBy(d => d.AccountKey).ToList();
        Assert.Equal([("1", DeltaKind.Changed, 0.90m), ("2", DeltaKind.Changed, 0.10m)],
            deltas.Select(d => (d.AccountKey, d.Kind, d.PreviousMetrics["churn_probability"]!.Value)));
        Assert.Equal(2L, await _bed.StateScalarAsync<long>("SELECT count(*) FROM contextpush.push_runs WHERE push_id = 'churn-risk'"));
        Assert.Equal(1L, await _bed.StateScalarAsync<long>("SELECT count(*) FROM contextpush.metric_history WHERE push_id = 'churn-risk' AND day < current_date"));
        Assert.Equal(5L, await _bed.StateScalarAsync<long>("SELECT rows_copied FROM contextpush.migrated_warehouses WHERE warehouse = 'warehouse'"));

        // Once only: another process starting later copies nothing over the newer state, and the warehouse keeps what it had.
        Assert.Equal(0L, await StateMigration.FromWarehouseAsync(_bed.State, WarehouseSources.DefaultName, _bed.Warehouse, TestContext.Current.CancellationToken));
        Assert.Equal(0.97m, await _bed.StateScalarAsync<decimal>("SELECT metrics[1] FROM contextpush.tracked_rows WHERE push_id = 'churn-risk' AND row_key = '1'"));
        Assert.Equal(0.90m, await _bed.ScalarAsync<decimal>("SELECT metrics[1] FROM contextpush.tracked_rows WHERE push_id = 'churn-risk' AND row_key = '1'"));
    }
}
