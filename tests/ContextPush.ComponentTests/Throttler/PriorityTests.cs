using System.Globalization;
using ContextPush.Contracts;
using ContextPush.Detector.Detection;
using ContextPush.ComponentTests.Detector;
using ContextPush.PushFiles;
using ContextPush.Throttler.Throttling;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace ContextPush.ComponentTests.Throttler;

/// <summary>
/// The z-score priority rule, both modes, checked against a reference computation on fixed series: the
/// Detector reduces each delta's history as it publishes it (<see cref="AccountHistory"/>), the Throttler
/// judges it without reading the warehouse.
/// </summary>
public sealed class PriorityTests(ServersFixture fixture) : IAsyncLifetime
{
    private static readonly DateTimeOffset Today = new(2026, 11, 24, 9, 0, 0, TimeSpan.Zero);

    // Fourteen daily values of one account: mean 0.5, sample standard deviation 0.0534 (see Reference).
    private static readonly decimal[] Series = [0.42m, 0.51m, 0.47m, 0.55m, 0.49m, 0.58m, 0.44m, 0.53m, 0.50m, 0.46m, 0.57m, 0.43m, 0.52m, 0.53m];

    private NpgsqlDataSource _warehouse = null!;
    private PriorityRule _rule = null!;

    public async ValueTask InitializeAsync()
    {
        var (prefix, _) = fixture.NextIsolation("priority");
        _warehouse = NpgsqlDataSource.Create(await fixture.Servers.CreateDatabaseAsync(prefix, TestContext.Current.CancellationToken));
        // One database plays detectordb (the recorded history) and the warehouse (a push's history_sql).
        await _warehouse.ApplySchemaAsync(TrackingSql.Schema, TestContext.Current.CancellationToken);
        _rule = new PriorityRule();
        await ExecuteAsync("INSERT INTO contextpush.tracked_metrics (push_id, metric_names) VALUES ('p', ARRAY['usage_drop'])");
        for (var day = 0; day < Series.Length; day++)
        {
            await ExecuteAsync(string.Create(CultureInfo.InvariantCulture,
                $"INSERT INTO contextpush.metric_history (push_id, row_key, day, metrics) VALUES ('p', 'acme', DATE '2026-11-24' - {Series.Length - day}, ARRAY[{Series[day]}])"));
        }

        // Today's own observation and another account's must not count.
        await ExecuteAsync("INSERT INTO contextpush.metric_history (push_id, row_key, day, metrics) VALUES ('p', 'acme', DATE '2026-11-24', ARRAY[9.9]), ('p', 'other', DATE '2026-11-20', ARRAY[5.0])");
    }

    public async ValueTask DisposeAsync() => await _warehouse.DisposeAsync();

    [Fact]
    public async Task History_statistics_match_the_reference_computation()
    {
        var stats = (await WithHistoryAsync(Delta(0.6m))).History!["usage_drop"];

        var (mean, deviation) = Reference(Series);
        Assert.Equal(Series.Length, stats.Count);
        Assert.Equal(mean, stats.Mean, 10);
        Assert.Equal(deviation, stats.StdDev!.Value, 10);
    }

    [Fact]
    public async Task Several_metrics_asked_together_each_get_their_own_history()
    {
        await ExecuteAsync("""
            INSERT INTO contextpush.tracked_metrics (push_id, metric_names) VALUES ('two', ARRAY['usage_drop', 'churn']);
            INSERT INTO contextpush.metric_history (push_id, row_key, day, metrics) VALUES
                ('two', 'acme', DATE '2026-11-21', ARRAY[0.2, 10]), ('two', 'acme', DATE '2026-11-22', ARRAY[0.4, 30]),
                ('two', 'acme', DATE '2026-11-23', ARRAY[NULL, 50]);
            """);

        var stats = (await WithHistoryAsync(Delta(0.6m) with { PushId = "two" }, "usage_drop", "churn", "unknown")).History!;

        Assert.Equal((2L, 0.3m), (stats["usage_drop"].Count, stats["usage_drop"].Mean));
        Assert.Equal((3L, 30m), (stats["churn"].Count, stats["churn"].Mean));
        Assert.Equal(0L, stats["unknown"].Count);
    }

    [Theory]
    [InlineData(0.65, "either", true)]   // z = 2.81
    [InlineData(0.58, "either", false)]  // z = 1.50
    [InlineData(0.36, "either", true)]   // z = -2.62
    [InlineData(0.36, "up", false)]
    [InlineData(0.65, "down", false)]
    [InlineData(0.36, "down", true)]
    public async Task A_value_passes_only_when_its_z_score_against_its_own_history_exceeds_the_threshold_in_the_direction(double value, string direction, bool pass)
    {
        var outcome = await EvaluateAsync(Delta((decimal)value, ("throttle:priority:direction", direction)));

        var (mean, deviation) = Reference(Series);
        var expected = ((decimal)value - mean) / deviation;
        Assert.Equal(pass, outcome.Pass);
        Assert.Equal(expected.ToString("0.##", CultureInfo.InvariantCulture), outcome.Numbers.Single(n => n.Key == "z").Value);
        Assert.Contains(pass ? "beyond 2" : "below 2", outcome.Detail);
    }

    [Theory]
    [InlineData("pass", true)]
    [InlineData("hold", false)]
    public async Task Too_little_history_passes_or_holds_as_the_push_says(string shortHistory, bool pass)
    {
        var outcome = await EvaluateAsync(Delta(0.9m, ("throttle:priority:window", "5d"), ("throttle:priority:short_history", shortHistory)));

        Assert.Equal(("short-history", pass), (outcome.Reason, outcome.Pass));
        Assert.Equal("5", outcome.Numbers.Single(n => n.Key == "observations").Value);
    }

    [Fact]
    public async Task With_zero_variance_any_move_is_unusual_and_no_move_is_not()
    {
        await ExecuteAsync("INSERT INTO contextpush.metric_history (push_id, row_key, day, metrics) SELECT 'p', 'flat', DATE '2026-11-24' - d, ARRAY[0.3] FROM generate_series(1, 10) d");

        var moved = await EvaluateAsync(Delta(0.31m) with { AccountKey = "flat" });
        var same = await EvaluateAsync(Delta(0.30m) with { AccountKey = "flat" });

        Assert.True(moved.Pass);
        Assert.Equal("+inf", moved.Numbers.Single(n => n.Key == "z").Value);
        Assert.False(same.Pass);
        Assert.Equal("0", same.Numbers.Single(n => n.Key == "z").Value);
    }

    [Fact]
    public async Task A_push_history_query_is_used_instead_of_the_recorded_values()
    {
        await ExecuteAsync("""
            CREATE TABLE usage_daily (account text, day timestamptz, drop numeric);
            INSERT INTO usage_daily SELECT 'acme', TIMESTAMPTZ '2026-11-24 00:00Z' - make_interval(days => d), 0.10 + d * 0.01 FROM generate_series(1, 10) d;
            """);
        var sql = "SELECT day AS observed_at, drop AS value FROM usage_daily WHERE account = @key";

        var outcome = await EvaluateAsync(Delta(0.16m, ("throttle:priority:history_sql", sql)));

        // 0.11 … 0.20: mean 0.155, so 0.16 is entirely ordinary.
        Assert.False(outcome.Pass);
        Assert.Equal("10", outcome.Numbers.Single(n => n.Key == "observations").Value);
        Assert.Equal("0.155", outcome.Numbers.Single(n => n.Key == "mean").Value.TrimEnd('0'));
    }

    [Fact]
    public async Task Peer_mode_compares_the_account_with_the_cohort_of_the_same_run_as_the_Detector_measured_it()
    {
        await using var bed = await DetectorTestBed.StartAsync(fixture);
        await bed.ExecuteAsync("""
            INSERT INTO accounts (id, name, owner_id, churn_probability, usage_drop, crm_url)
            SELECT 100 + g, 'Peer', 1, 0.81 + g * 0.001, 0.0, 'https://crm' FROM generate_series(1, 12) g;
            UPDATE accounts SET churn_probability = 0.999 WHERE id = 1;
            UPDATE accounts SET usage_drop = 0.1 WHERE id = 2;
            """);
        var run = await bed.RunAsync(DetectorTestBed.Push + "first_run: send\n");
        var deltas = bed.Published(run);
        var cohort = deltas.Select(d => d.Metrics["churn_probability"]!.Value).ToArray();
        var acme = deltas.Single(d => d.AccountKey == "1"); // 0.999 among twelve peers near 0.81: z = 3.3

        var stats = acme.CohortStats!["churn_probability"];
        var (mean, deviation) = Reference(cohort);
        var peers = new PushSettings { Throttle = new ThrottleSettings { Priority = new PrioritySettings { Mode = "peers" } } };
        var outcome = _rule.Evaluate(acme with { PushSettings = peers });

        Assert.Equal(cohort.Length, stats.Count);
        Assert.Equal(mean, stats.Mean, 10);
        Assert.Equal(deviation, stats.StdDev!.Value, 10);
        Assert.True(outcome.Pass, outcome.Detail);
        Assert.Equal("peers", outcome.Numbers.Single(n => n.Key == "mode").Value);
    }

    [Fact]
    public async Task A_run_publishes_each_account_with_its_own_history_before_today_and_a_left_delta_without()
    {
        await using var bed = await DetectorTestBed.StartAsync(fixture);
        await bed.RunAsync(); // the baseline: Acme (1) and Globex (2), and today's values recorded, which must not count
        await bed.StateExecuteAsync("""
            INSERT INTO contextpush.metric_history (push_id, row_key, day, metrics)
            SELECT 'churn-risk', '1', (now() AT TIME ZONE 'UTC')::date - d, ARRAY[0.80 + d * 0.01, 0.0] FROM generate_series(1, 4) d;
            INSERT INTO contextpush.metric_history (push_id, row_key, day, metrics)
            SELECT 'churn-risk', '2', (now() AT TIME ZONE 'UTC')::date - d, ARRAY[0.5, 0.5] FROM generate_series(1, 9) d;
            """);
        await bed.ExecuteAsync("""
            UPDATE accounts SET churn_probability = 0.99 WHERE id = 1;
            UPDATE accounts SET usage_drop = 0.0 WHERE id = 2;
            UPDATE accounts SET churn_probability = 0.95 WHERE id = 3;
            """);

        var deltas = bed.Published(await bed.RunAsync()).ToDictionary(d => d.AccountKey);

        Assert.Equal(DeltaKind.Changed, deltas["1"].Kind);
        Assert.Equal(new MetricStats(0.825m, deltas["1"].History!["churn_probability"].StdDev, 4), deltas["1"].History!["churn_probability"]);
        Assert.Equal(0.0129m, Math.Round(deltas["1"].History!["churn_probability"].StdDev!.Value, 4));
        Assert.Equal(4, deltas["1"].History!["usage_drop"].Count);
        Assert.Equal((DeltaKind.Entered, 0L), (deltas["3"].Kind, deltas["3"].History!["churn_probability"].Count));
        Assert.Equal((DeltaKind.Left, null), (deltas["2"].Kind, deltas["2"].History));
    }

    /// <summary>Mean and sample standard deviation, written out the textbook way.</summary>
    private static (decimal Mean, decimal Deviation) Reference(decimal[] values)
    {
        var mean = values.Sum() / values.Length;
        var variance = values.Sum(v => (v - mean) * (v - mean)) / (values.Length - 1);
        return (mean, (decimal)Math.Sqrt((double)variance));
    }

    private static DeltaDetected Delta(decimal usageDrop, params (string Key, string Value)[] settings) => new()
    {
        CorrelationId = Guid.NewGuid(),
        DeltaId = Guid.NewGuid(),
        RunId = Guid.NewGuid(),
        PushId = "p",
        Topic = "p",
        AccountKey = "acme",
        Kind = DeltaKind.Changed,
        Metrics = new Dictionary<string, decimal?> { ["usage_drop"] = usageDrop },
        PreviousMetrics = new Dictionary<string, decimal?>(),
        DetectedAt = Today,
        Settings = settings.ToDictionary(s => s.Key, s => s.Value),
    };

    /// <summary>What the Detector does before publishing the delta, then what the Throttler does with it.</summary>
    private async Task<PriorityRule.Outcome> EvaluateAsync(DeltaDetected delta) => _rule.Evaluate(await WithHistoryAsync(delta));

    private async Task<DeltaDetected> WithHistoryAsync(DeltaDetected delta, params string[] metrics)
    {
        List<DeltaDetected> batch = [delta];
        await AccountHistory.AddAsync(_warehouse, _warehouse, delta.PushId, PushSettingsReader.Of(delta).Throttle.Priority, metrics.Length > 0 ? metrics : [.. delta.Metrics.Keys],
            batch, TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        return batch[0];
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var command = _warehouse.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }
}
