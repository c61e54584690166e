using System.Security.Cryptography;
using ContextPush.Detector;
using ContextPush.Detector.Detection;
using ContextPush.Detector.Pushes;
using ContextPush.Testing.Fakes;
using static ContextPush.ComponentTests.Detector.DetectorTestBed;

namespace ContextPush.ComponentTests.Detector;

/// <summary>
/// A push on BigQuery through its REST API, against a fake that runs the queries on a real PostgreSQL
/// database: the same push file and data give the same deltas as on PostgreSQL, large cohorts come in
/// pages, and BigQuery's refusals, quota and outages read clearly.
/// </summary>
public sealed class BigQueryWarehouseTests(ServersFixture fixture) : IAsyncLifetime
{
    private const string Name = "bq";

    private readonly RSA _key = RSA.Create(2048);
    private DetectorTestBed _postgres = null!;
    private DetectorTestBed _bq = null!;
    private FakeBigQuery _bigQuery = null!;

    public async ValueTask InitializeAsync()
    {
        _postgres = await StartAsync(fixture);
        _bq = await StartAsync(fixture);
        _bigQuery = await FakeBigQuery.StartAsync(_bq.WarehouseConnectionString, "acme-analytics", "contextpush@acme-analytics.iam.gserviceaccount.com",
            "4f1d6e0c2b", RSA.Create(_key.ExportParameters(false)));
    }

    public async ValueTask DisposeAsync()
    {
        await _bigQuery.DisposeAsync();
        await _postgres.DisposeAsync();
        await _bq.DisposeAsync();
        _key.Dispose();
    }

    [Fact]
    public async Task The_same_push_file_and_data_give_the_same_deltas_on_PostgreSQL_and_BigQuery()
    {
        var onPostgres = _postgres.Runner();
        var onBigQuery = BigQueryRunner();

        var baselines = (await RunAsync(onPostgres, Push), await RunAsync(onBigQuery, OnBigQuery(Push)));
        await _postgres.ExecuteAsync(ThreeChanges);
        await _bq.ExecuteAsync(ThreeChanges);
        var postgres = await RunAsync(onPostgres, Push);
        var bigQuery = await RunAsync(onBigQuery, OnBigQuery(Push));

        Assert.True(baselines.Item2.Status == "succeeded", baselines.Item2.Error);
        Assert.True(bigQuery.Status == "succeeded", bigQuery.Error);
        Assert.Equal(2, baselines.Item2.RowsRead);
        Assert.Equal(3, _postgres.Published(postgres).Count);
        Assert.Equal(_postgres.DeltaSummary(postgres), _bq.DeltaSummary(bigQuery));
        // The job was answered incomplete and polled; the token was asked for BigQuery's read-only scope.
        Assert.Contains(_bigQuery.Requests, r => r.Request.StartsWith("GET /bigquery/v2/projects/acme-analytics/queries/job_", StringComparison.Ordinal));
        Assert.Equal(["https://www.googleapis.com/auth/bigquery.readonly"], _bigQuery.IssuedScopes.Distinct());
        Assert.Empty(_bigQuery.TokenProblems);
    }

    [Fact]
    public async Task A_large_cohort_is_read_page_by_page_and_each_row_once()
    {
        _bigQuery.RowsPerPage = 1000;

        var run = await RunAsync(BigQueryRunner(), OnBigQuery(WithCohort(LargeCohort)) + "first_run: send\n");

        Assert.True(run.Status == "succeeded", run.Error);
        Assert.Equal(2500, run.RowsRead);
        Assert.Equal(2500, _bq.Published(run).Select(d => d.AccountKey).Distinct().Count());
        Assert.Equal(["pageToken=p1000", "pageToken=p2000"], _bigQuery.Requests.Where(r => r.Request.Contains("pageToken=", StringComparison.Ordinal))
            .Select(r => r.Request[r.Request.IndexOf("pageToken=", StringComparison.Ordinal)..].Split('&')[0]).Order());
    }

    [Fact]
    public async Task BigQuery_lost_while_pages_are_read_fails_the_run_and_records_nothing_of_it()
    {
        _bigQuery.RowsPerPage = 1000;
        await RunAsync(BigQueryRunner(), OnBigQuery(Push));
        var tracked = await _bq.TrackedAsync();
        _bigQuery.UnavailableFromPage = 3;

        var run = await RunAsync(BigQueryRunner(), OnBigQuery(WithCohort(LargeCohort)));

        Assert.Equal("failed", run.Status);
        Assert.Contains("push churn-risk: the warehouse is unavailable while reading page 3: BigQuery at 127.0.0.1 is unavailable after 6 tries: HTTP 503", run.Error);
        Assert.Empty(_bq.Published(run));
        Assert.Equal(tracked, await _bq.TrackedAsync());
    }

    [Fact]
    public async Task BigQuerys_quota_answered_as_403_rateLimitExceeded_is_waited_out()
    {
        _bigQuery.RowsPerPage = 500;
        _bigQuery.RequestsPerSecond = 2;

        var run = await RunAsync(BigQueryRunner(), OnBigQuery(WithCohort(LargeCohort)));

        Assert.True(run.Status == "succeeded", run.Error);
        Assert.Equal(2500, run.RowsRead);
        Assert.True(_bigQuery.RateLimited > 0, "the fake's quota was never reached, so this test proves nothing");
    }

    [Fact]
    public async Task A_cohort_that_writes_is_refused_in_BigQuerys_words()
    {
        await _bq.ExecuteAsync(CreateSideEffect);

        var run = await RunAsync(BigQueryRunner(), OnBigQuery(WithCohort(WritingCohort)));

        Assert.Equal("failed", run.Status);
        Assert.Contains("push churn-risk: the cohort query needs more than the Detector's service account may do, and a cohort may only read: Access Denied:", run.Error);
        Assert.Contains("(BigQuery accessDenied)", run.Error);
    }

    [Fact]
    public async Task A_cohort_over_its_timeout_is_stopped_by_BigQuery_and_reported()
    {
        var run = await RunAsync(BigQueryRunner(), OnBigQuery(SlowPush));

        Assert.Equal("failed", run.Status);
        Assert.Contains("ran longer than its timeout of 1s and was cancelled", run.Error);
        Assert.Contains("(BigQuery timeout)", run.Error);
    }

    [Fact]
    public async Task A_service_account_key_Google_does_not_know_is_refused_naming_the_fix()
    {
        using var other = RSA.Create(2048);

        var run = await RunAsync(BigQueryRunner(other), OnBigQuery(Push));

        Assert.Equal("failed", run.Status);
        Assert.Contains("BigQuery refused the Detector's service account: the service account contextpush@acme-analytics.iam.gserviceaccount.com got no token: invalid_grant: Invalid JWT Signature.", run.Error);
        Assert.Contains("signature does not match the registered public key", _bigQuery.TokenProblems);
    }

    [Fact]
    public async Task At_load_a_text_metric_and_a_missing_table_are_refused_in_BigQuerys_terms()
    {
        var (text, missing, good) = await LoadChecksAsync(new PushValidator(Sources()), OnBigQuery);

        Assert.Null(good);
        Assert.NotNull(text);
        Assert.Equal(("metrics[0].name", "column 'churn_probability' is STRING; a metric must be numeric (integer, numeric, real…): cast it in the SELECT"),
            (text.Field, text.Message));
        Assert.NotNull(missing);
        Assert.Equal("cohort", missing.Field);
        Assert.Contains($"the SQL does not run on '{Name}': Not found: Table acme-analytics:acounts was not found in location EU (BigQuery notFound)", missing.Message);
    }

    [Fact]
    public async Task A_push_history_query_runs_in_BigQuery_and_each_delta_carries_its_statistics()
    {
        await _bq.ExecuteAsync(UsageHistory);
        var push = WithHistoryQuery(OnBigQuery(Push));

        var run = await RunAsync(BigQueryRunner(), push);

        Assert.True(run.Status == "succeeded", run.Error);
        var history = _bq.Published(run).ToDictionary(d => d.AccountKey, d => d.History!["usage_drop"]);
        Assert.Equal((10L, 0.155m), (history["1"].Count, history["1"].Mean));
        Assert.Equal(0.0303m, Math.Round(history["1"].StdDev!.Value, 4));
        Assert.Equal(0L, history["2"].Count);
        Assert.Contains(_bigQuery.Submitted, q => q.Contains("STDDEV_SAMP(h.value)", StringComparison.Ordinal) && q.Contains("h.observed_at < @until", StringComparison.Ordinal));
    }

    private WarehouseSources Sources(RSA? key = null) => _bq.NewSources(settings: new Dictionary<string, string?>
    {
        [$"ConnectionStrings:{Name}"] = _bigQuery.ConnectionString(key ?? _key),
        [$"Detector:Warehouses:{Name}:Engine"] = "bigquery",
    });

    private PushRunner BigQueryRunner(RSA? key = null) => _bq.Runner(options: new DetectorOptions { RunAttempts = 1 }, sources: Sources(key));

    private static string OnBigQuery(string push) => push + $"warehouse: {Name}\n";
}
