using ContextPush.PushFiles;
using ContextPush.Detector;
using ContextPush.Detector.Detection;
using ContextPush.Detector.Pushes;
using ContextPush.Detector.Runs;
using MassTransit;

namespace ContextPush.ComponentTests.Detector;

/// <summary>Runs that must fail cleanly, crash safely, or not run twice.</summary>
public sealed class DetectorRunSafetyTests(ServersFixture fixture) : IAsyncLifetime
{
    private DetectorTestBed _bed = null!;

    public async ValueTask InitializeAsync() => _bed = await DetectorTestBed.StartAsync(fixture);

    public ValueTask DisposeAsync() => _bed.DisposeAsync();

    [Fact]
    public async Task A_cohort_query_over_its_statement_timeout_is_cancelled_and_reported()
    {
        var slow = DetectorTestBed.Push
            .Replace("FROM accounts WHERE", "FROM accounts, pg_sleep(3) WHERE")
            + "timeout: 300ms\n";

        var run = await _bed.RunAsync(slow);

        Assert.Equal("failed", run.Status);
        Assert.Contains("ran longer than its timeout of 0.3s and was cancelled", run.Error);
        Assert.Equal(0L, await _bed.StateScalarAsync<long>("SELECT count(*) FROM contextpush.tracked_rows"));
    }

    [Fact]
    public async Task A_cohort_that_tries_to_write_is_refused_by_the_read_only_transaction()
    {
        await _bed.ExecuteAsync("CREATE SEQUENCE side_effect");
        Assert.Contains("the cohort query tried to write", await FailedRunAsync("SELECT id AS account_id, nextval('side_effect') AS n,"));
    }

    [Fact]
    public async Task A_key_that_is_not_unique_is_reported_instead_of_giving_ambiguous_deltas()
    {
        Assert.Contains("the key is not unique in the cohort", await FailedRunAsync("SELECT owner_id AS account_id,"));
    }

    [Fact]
    public async Task A_crash_between_publishing_and_recording_state_re_emits_the_same_DeltaIds_and_loses_none()
    {
        await _bed.RunAsync();
        await _bed.ExecuteAsync("UPDATE accounts SET churn_probability = 0.95 WHERE id = 3; UPDATE accounts SET churn_probability = 0.99 WHERE id = 1");

        var crashed = await _bed.RunAsync(stages: new CrashAfterPublishing());
        var retried = await _bed.RunAsync();
        var after = await _bed.RunAsync();

        Assert.Equal("failed", crashed.Status);
        Assert.Equal(2, _bed.Published(crashed).Count);
        Assert.Equal(_bed.Published(crashed).Select(d => d.DeltaId).Order(), _bed.Published(retried).Select(d => d.DeltaId).Order());
        Assert.Equal("succeeded", retried.Status);
        Assert.Equal(0, after.DeltasEmitted);
    }

    [Fact]
    public async Task A_batch_the_broker_never_confirms_is_published_again_on_the_next_attempt()
    {
        var options = new DetectorOptions { PublishTimeout = TimeSpan.FromSeconds(1), RunRetryDelay = TimeSpan.FromMilliseconds(100) };
        await _bed.RunAsync();
        await _bed.ExecuteAsync("UPDATE accounts SET churn_probability = 0.95 WHERE id = 3; UPDATE accounts SET churn_probability = 0.99 WHERE id = 1");
        var bus = UnconfirmedPublishes.Wrap(_bed.Harness.Bus, unconfirmed: 2);

        var run = await _bed.Runner(bus: bus, options: options).RunAsync(DetectorTestBed.Load(DetectorTestBed.Push), "test", NewId.NextGuid(), TestContext.Current.CancellationToken);

        Assert.Equal("succeeded", run.Status);
        Assert.Equal(2, run.DeltasEmitted);
        Assert.Equal(2, _bed.Published(run).Select(d => d.DeltaId).Distinct().Count());
        Assert.Null(_bed.Confirmations.UnconfirmedSince);
    }

    // Refused: the publish's task fails, as while the broker's connection is down. Stopped: the publish throws before it
    // returns a task, as MassTransit's bus does while it is being stopped or restarted.
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_batch_the_broker_or_a_stopping_bus_refused_is_published_again_on_the_next_attempt(bool stopped)
    {
        var options = new DetectorOptions { RunRetryDelay = TimeSpan.FromMilliseconds(100) };
        await _bed.RunAsync();
        await _bed.ExecuteAsync("UPDATE accounts SET churn_probability = 0.95 WHERE id = 3; UPDATE accounts SET churn_probability = 0.99 WHERE id = 1");
        var bus = stopped ? UnconfirmedPublishes.Stopped(_bed.Harness.Bus, refused: 1) : UnconfirmedPublishes.Refusing(_bed.Harness.Bus, refused: 2);

        var run = await _bed.Runner(bus: bus, options: options).RunAsync(DetectorTestBed.Load(DetectorTestBed.Push), "test", NewId.NextGuid(), TestContext.Current.CancellationToken);

        Assert.Equal("succeeded", run.Status);
        Assert.Equal(2, run.DeltasEmitted);
        Assert.Equal(2, _bed.Published(run).Select(d => d.DeltaId).Distinct().Count());
    }

    [Fact]
    public async Task A_broker_that_never_confirms_fails_the_run_after_its_attempts_with_the_reason()
    {
        var options = new DetectorOptions { PublishTimeout = TimeSpan.FromMilliseconds(300), RunRetryDelay = TimeSpan.FromMilliseconds(50), RunAttempts = 3 };
        await _bed.RunAsync();
        await _bed.ExecuteAsync("UPDATE accounts SET churn_probability = 0.95 WHERE id = 3; UPDATE accounts SET churn_probability = 0.99 WHERE id = 1");
        var bus = UnconfirmedPublishes.Wrap(_bed.Harness.Bus, unconfirmed: int.MaxValue);

        var run = await _bed.Runner(bus: bus, options: options).RunAsync(DetectorTestBed.Load(DetectorTestBed.Push), "test", NewId.NextGuid(), TestContext.Current.CancellationToken);

        Assert.Equal("failed", run.Status);
        Assert.Contains("not confirmed by the broker within", run.Error);
        Assert.Equal(6, ((UnconfirmedPublishes)(object)bus).Calls);
        // What lets the Detector's bus be restarted when its publishing channel died unnoticed.
        Assert.NotNull(_bed.Confirmations.UnconfirmedSince);
    }

    [Fact]
    public async Task Two_replicas_triggering_the_same_push_give_one_run_and_one_skip()
    {
        var slow = DetectorTestBed.Push.Replace("FROM accounts WHERE", "FROM accounts, pg_sleep(1) WHERE");
        var push = DetectorTestBed.Load(slow);
        var first = _bed.Runner().RunAsync(push, "api", NewId.NextGuid(), TestContext.Current.CancellationToken);
        await Eventually.UntilAsync("the first run holding its push lock", async () => await _bed.ScalarAsync<long>("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'") > 0,
            TimeSpan.FromSeconds(30));

        var second = await _bed.Runner().RunAsync(push, "api", NewId.NextGuid(), TestContext.Current.CancellationToken);

        Assert.Equal("skipped", second.Status);
        Assert.Contains("another run of this push is in progress", second.Error);
        Assert.Equal("succeeded", (await first).Status);
    }

    [Fact]
    public async Task Two_replicas_on_the_same_schedule_run_each_tick_once()
    {
        var everySecond = DetectorTestBed.Push.Replace("schedule: \"0 8 * * *\"", "schedule: \"* * * * * *\"");
        var folder = Directory.CreateTempSubdirectory("pushes-").FullName;
        await File.WriteAllTextAsync(Path.Combine(folder, "churn-risk.yaml"), everySecond, TestContext.Current.CancellationToken);
        var options = Microsoft.Extensions.Options.Options.Create(new ContextPush.Detector.DetectorOptions { PushesPath = folder });
        var catalog = new PushCatalog(options, new PushValidator(_bed.Sources), _bed.Metrics, Microsoft.Extensions.Logging.Abstractions.NullLogger<PushCatalog>.Instance);
        await catalog.ReloadAsync(force: true, TestContext.Current.CancellationToken);
        var replicas = Enumerable.Range(0, 2).Select(_ => new PushScheduler(catalog, _bed.Runner(), _bed.State, options, TimeProvider.System,
            Microsoft.Extensions.Logging.Abstractions.NullLogger<PushScheduler>.Instance)).ToList();

        foreach (var replica in replicas)
        {
            await replica.StartAsync(TestContext.Current.CancellationToken);
        }

        await Eventually.UntilAsync("three scheduled runs finished",
            async () => await _bed.StateScalarAsync<long>("SELECT count(*) FROM contextpush.push_runs WHERE trigger = 'schedule' AND finished_at IS NOT NULL") >= 3,
            TimeSpan.FromSeconds(30));
        foreach (var replica in replicas)
        {
            await replica.StopAsync(TestContext.Current.CancellationToken);
        }

        // Give a run that started just before the stop the time to record itself, then compare.
        await Eventually.UntilAsync("no scheduled run left unfinished",
            async () => await _bed.StateScalarAsync<long>("SELECT count(*) FROM contextpush.push_runs WHERE trigger = 'schedule' AND finished_at IS NULL") == 0,
            TimeSpan.FromSeconds(30));
        var ticks = await _bed.StateScalarAsync<long>("SELECT count(*) FROM contextpush.schedule_ticks");
        var runs = await _bed.StateScalarAsync<long>("SELECT count(*) FROM contextpush.push_runs WHERE trigger = 'schedule'");
        Assert.Equal(ticks, runs);
        Assert.Equal(0L, await _bed.StateScalarAsync<long>("SELECT count(*) FROM contextpush.push_runs WHERE trigger = 'schedule' AND status <> 'succeeded'"));
        Directory.Delete(folder, recursive: true);
    }

    /// <summary>Runs the push with its cohort's select list starting <paramref name="select"/>, expects it to fail, and answers why.</summary>
    private async Task<string?> FailedRunAsync(string select)
    {
        var run = await _bed.RunAsync(DetectorTestBed.Push.Replace("SELECT id AS account_id,", select));
        Assert.Equal("failed", run.Status);
        return run.Error;
    }

    private sealed class CrashAfterPublishing : IDetectionStages
    {
        public Task DeltasPublishedAsync(PushDefinition push, RunRecord run, CancellationToken ct) =>
            throw new InvalidOperationException("injected crash between publishing and recording state");
    }
}
