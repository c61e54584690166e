using System.Security.Cryptography;
using ContextPush.Detector;
using ContextPush.Detector.Detection;
using ContextPush.Detector.Pushes;
using ContextPush.Testing.Fakes;
using Microsoft.Extensions.Options;
using static ContextPush.ComponentTests.Detector.DetectorTestBed;

namespace ContextPush.ComponentTests.Detector;

/// <summary>
/// A push on Snowflake through its SQL API, against a fake that runs the statements on a real
/// PostgreSQL database: the same push file and data give the same deltas as on PostgreSQL, large
/// cohorts come in partitions, and Snowflake's refusals, limits and outages read clearly.
/// </summary>
public sealed class SnowflakeWarehouseTests(ServersFixture fixture) : IAsyncLifetime
{
    private const string Name = "snow";

    private readonly RSA _key = RSA.Create(2048);
    private DetectorTestBed _postgres = null!;
    private DetectorTestBed _snow = null!;
    private FakeSnowflake _snowflake = null!;

    public async ValueTask InitializeAsync()
    {
        _postgres = await StartAsync(fixture);
        _snow = await StartAsync(fixture);
        _snowflake = await FakeSnowflake.StartAsync(_snow.WarehouseConnectionString, "myorg-analytics", "contextpush", RSA.Create(_key.ExportParameters(false)));
    }

    public async ValueTask DisposeAsync()
    {
        await _snowflake.DisposeAsync();
        await _postgres.DisposeAsync();
        await _snow.DisposeAsync();
        _key.Dispose();
    }

    [Fact]
    public async Task The_same_push_file_and_data_give_the_same_deltas_on_PostgreSQL_and_Snowflake()
    {
        var onPostgres = _postgres.Runner();
        var onSnowflake = SnowflakeRunner();

        var baselines = (await RunAsync(onPostgres, Push), await RunAsync(onSnowflake, OnSnowflake(Push)));
        await _postgres.ExecuteAsync(ThreeChanges);
        await _snow.ExecuteAsync(ThreeChanges);
        var postgres = await RunAsync(onPostgres, Push);
        var snowflake = await RunAsync(onSnowflake, OnSnowflake(Push));

        Assert.True(baselines.Item2.Status == "succeeded", baselines.Item2.Error);
        Assert.True(snowflake.Status == "succeeded", snowflake.Error);
        Assert.Equal(2, baselines.Item2.RowsRead);
        Assert.Equal(3, _postgres.Published(postgres).Count);
        Assert.Equal(_postgres.DeltaSummary(postgres), _snow.DeltaSummary(snowflake));
        // Every statement was submitted asynchronously and polled by its handle until it finished.
        Assert.Contains(_snowflake.Requests, r => r.Request.StartsWith("GET /api/v2/statements/", StringComparison.Ordinal) && r.Status == 202);
        Assert.Empty(_snowflake.TokenProblems);
    }

    [Fact]
    public async Task A_large_cohort_is_read_partition_by_partition_and_each_row_once()
    {
        _snowflake.RowsPerPartition = 1000;

        var run = await RunAsync(SnowflakeRunner(), OnSnowflake(WithCohort(LargeCohort)) + "first_run: send\n");

        Assert.True(run.Status == "succeeded", run.Error);
        Assert.Equal(2500, run.RowsRead);
        Assert.Equal(2500, _snow.Published(run).Select(d => d.AccountKey).Distinct().Count());
        Assert.Equal(["partition=1", "partition=2"], _snowflake.Requests.Where(r => r.Request.Contains("partition=", StringComparison.Ordinal))
            .Select(r => r.Request[r.Request.IndexOf("partition=", StringComparison.Ordinal)..]).Order());
    }

    [Fact]
    public async Task Snowflake_lost_while_partitions_are_read_fails_the_run_and_records_nothing_of_it()
    {
        _snowflake.RowsPerPartition = 1000;
        await RunAsync(SnowflakeRunner(), OnSnowflake(Push));
        var tracked = await _snow.TrackedAsync();
        _snowflake.UnavailableFromPartition = 2;

        var run = await RunAsync(SnowflakeRunner(), OnSnowflake(WithCohort(LargeCohort)));

        Assert.Equal("failed", run.Status);
        Assert.Contains("push churn-risk: the warehouse is unavailable while reading partition 2: Snowflake at 127.0.0.1 is unavailable after 6 tries: HTTP 503", run.Error);
        Assert.Equal(6, _snowflake.Requests.Count(r => r.Request.Contains("partition=2", StringComparison.Ordinal) && r.Status == 503));
        Assert.Empty(_snow.Published(run));
        Assert.Equal(tracked, await _snow.TrackedAsync());
    }

    [Fact]
    public async Task Snowflakes_rate_limit_is_waited_out_and_the_run_succeeds()
    {
        _snowflake.RowsPerPartition = 500;
        _snowflake.RequestsPerSecond = 2;

        var run = await RunAsync(SnowflakeRunner(), OnSnowflake(WithCohort(LargeCohort)));

        Assert.True(run.Status == "succeeded", run.Error);
        Assert.Equal(2500, run.RowsRead);
        Assert.True(_snowflake.RateLimited > 0, "the fake's limit was never reached, so this test proves nothing");
    }

    [Fact]
    public async Task A_cohort_that_writes_is_refused_in_Snowflakes_words()
    {
        await _snow.ExecuteAsync(CreateSideEffect);

        var run = await RunAsync(SnowflakeRunner(), OnSnowflake(WithCohort(WritingCohort)));

        Assert.Equal("failed", run.Status);
        Assert.Contains("push churn-risk: the cohort query needs more than the Detector's role may do, and a cohort may only read: SQL access control error:", run.Error);
        Assert.Contains("(Snowflake 003001)", run.Error);
    }

    [Fact]
    public async Task A_cohort_over_its_timeout_is_cancelled_by_Snowflake_and_reported()
    {
        var run = await RunAsync(SnowflakeRunner(), OnSnowflake(SlowPush));

        Assert.Equal("failed", run.Status);
        Assert.Contains("ran longer than its timeout of 1s and was cancelled", run.Error);
        Assert.Contains("Statement reached its statement or warehouse timeout of 1 second(s) and was canceled. (Snowflake 000630)", run.Error);
    }

    [Fact]
    public async Task A_key_Snowflake_does_not_know_for_the_user_is_refused_naming_the_fix()
    {
        using var other = RSA.Create(2048);

        var run = await RunAsync(SnowflakeRunner(other), OnSnowflake(Push));

        Assert.Equal("failed", run.Status);
        Assert.Contains("Snowflake refused the Detector's key pair: JWT token is invalid.", run.Error);
        Assert.Contains("RSA_PUBLIC_KEY", run.Error);
        Assert.Contains("signature does not match the user's public key", _snowflake.TokenProblems);
    }

    [Fact]
    public async Task At_load_a_text_metric_and_a_missing_table_are_refused_in_Snowflakes_terms()
    {
        var (text, missing, good) = await LoadChecksAsync(new PushValidator(Sources()), OnSnowflake);

        Assert.Null(good);
        Assert.NotNull(text);
        Assert.Equal(("metrics[0].name", "column 'churn_probability' is TEXT; a metric must be numeric (integer, numeric, real…): cast it in the SELECT"),
            (text.Field, text.Message));
        Assert.NotNull(missing);
        Assert.Equal("cohort", missing.Field);
        Assert.Contains($"the SQL does not run on '{Name}': SQL compilation error:\nObject 'ACOUNTS' does not exist or not authorized. (Snowflake 002003)", missing.Message);
    }

    [Fact]
    public async Task An_accounts_story_reads_its_live_row_from_Snowflake()
    {
        var push = OnSnowflake(Push);
        Assert.Equal("succeeded", (await RunAsync(SnowflakeRunner(), push)).Status);
        await _snow.ExecuteAsync("UPDATE accounts SET usage_drop = 0.40 WHERE id = 2");
        var stories = new AccountStories(Sources(), _snow.State, _snow.Runs, Options.Create(new DetectorOptions()), TimeProvider.System);

        var moved = await stories.TellAsync(Load(push), "2", TestContext.Current.CancellationToken);
        var outside = await stories.TellAsync(Load(push), "3", TestContext.Current.CancellationToken);

        Assert.Null(moved.LiveError);
        Assert.True(moved.InCohortNow);
        Assert.Equal((0.40m, 0.30m, true), moved.Metrics.Where(m => m.Metric == "usage_drop").Select(m => (m.Now, m.Notified, m.Moved)).Single());
        Assert.Equal("moved beyond tolerance on usage_drop: the next run sends a change", moved.Verdict);
        Assert.Null(outside.LiveError);
        Assert.False(outside.InCohortNow);
    }

    [Fact]
    public async Task A_push_history_query_runs_in_Snowflake_with_the_window_bound_as_text_it_casts()
    {
        await _snow.ExecuteAsync(UsageHistory);
        var push = WithHistoryQuery(OnSnowflake(Push));

        var run = await RunAsync(SnowflakeRunner(), push);

        Assert.True(run.Status == "succeeded", run.Error);
        var history = _snow.Published(run).ToDictionary(d => d.AccountKey, d => d.History!["usage_drop"]);
        Assert.Equal((10L, 0.155m), (history["1"].Count, history["1"].Mean));
        Assert.Equal(0L, history["2"].Count);
        Assert.Contains(_snowflake.Submitted, q => q.Contains("h.observed_at >= CAST(? AS TIMESTAMP)", StringComparison.Ordinal));
    }

    private WarehouseSources Sources(RSA? key = null) => _snow.NewSources(settings: new Dictionary<string, string?>
    {
        [$"ConnectionStrings:{Name}"] = _snowflake.ConnectionString(key ?? _key),
        [$"Detector:Warehouses:{Name}:Engine"] = "snowflake",
    });

    private PushRunner SnowflakeRunner(RSA? key = null) => _snow.Runner(options: new DetectorOptions { RunAttempts = 1 }, sources: Sources(key));

    private static string OnSnowflake(string push) => push + $"warehouse: {Name}\n";
}
