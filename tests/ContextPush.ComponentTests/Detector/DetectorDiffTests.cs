using ContextPush.Contracts;

namespace ContextPush.ComponentTests.Detector;

/// <summary>The Detector's set-based diff on the real PostgreSQL.</summary>
public sealed class DetectorDiffTests(ServersFixture fixture) : IAsyncLifetime
{
    private DetectorTestBed _bed = null!;

    public async ValueTask InitializeAsync() => _bed = await DetectorTestBed.StartAsync(fixture);

    public ValueTask DisposeAsync() => _bed.DisposeAsync();

    [Fact]
    public async Task The_first_run_records_a_baseline_and_sends_nothing()
    {
        var run = await _bed.RunAsync();

        Assert.True(run.Status == "succeeded", run.Error);
        Assert.True(run.Baseline);
        Assert.Equal(2, run.RowsRead);
        Assert.Empty(_bed.Published(run));
    }

    [Fact]
    public async Task A_first_run_can_be_asked_to_send_every_row()
    {
        var run = await _bed.RunAsync(DetectorTestBed.Push + "first_run: send\n");

        Assert.False(run.Baseline);
        Assert.Equal(["1", "2"], _bed.Published(run).Select(d => d.AccountKey).Order());
    }

    [Fact]
    public async Task Entered_changed_beyond_tolerance_and_left_rows_are_emitted_and_nothing_else()
    {
        await _bed.RunAsync();
        await _bed.ExecuteAsync("""
            UPDATE accounts SET churn_probability = 0.95 WHERE id = 3;   -- entered
            UPDATE accounts SET churn_probability = 0.97 WHERE id = 1;   -- changed by 0.07 > 0.05
            UPDATE accounts SET usage_drop = 0.10 WHERE id = 2;          -- left
            """);

        var deltas = _bed.Published(await _bed.RunAsync()).ToDictionary(d => d.AccountKey);

        Assert.Equal(3, deltas.Count);
        Assert.Equal(DeltaKind.Entered, deltas["3"].Kind);
        Assert.Equal(0.95m, deltas["3"].Metrics["churn_probability"]);
        Assert.Equal(DeltaKind.Changed, deltas["1"].Kind);
        Assert.Equal(0.97m, deltas["1"].Metrics["churn_probability"]);
        Assert.Equal(0.90m, deltas["1"].PreviousMetrics["churn_probability"]);
        Assert.Equal(DeltaKind.Left, deltas["2"].Kind);
        Assert.Equal(0.30m, deltas["2"].PreviousMetrics["usage_drop"]);
    }

    [Fact]
    public async Task A_change_within_tolerance_and_unchanged_rows_give_nothing_across_many_runs()
    {
        await _bed.RunAsync();
        await _bed.ExecuteAsync("UPDATE accounts SET churn_probability = 0.94 WHERE id = 1"); // 0.04 <= 0.05

        for (var i = 0; i < 3; i++)
        {
            var run = await _bed.RunAsync();
            Assert.Equal(0, run.DeltasEmitted);
            Assert.Empty(_bed.Published(run));
        }
    }

    [Fact]
    public async Task Drift_accumulates_against_the_last_notified_value_not_the_last_run()
    {
        await _bed.RunAsync();
        await _bed.ExecuteAsync("UPDATE accounts SET churn_probability = 0.93 WHERE id = 1");
        Assert.Equal(0, (await _bed.RunAsync()).DeltasEmitted);
        await _bed.ExecuteAsync("UPDATE accounts SET churn_probability = 0.96 WHERE id = 1"); // 0.06 from the notified 0.90

        var delta = Assert.Single(_bed.Published(await _bed.RunAsync()));

        Assert.Equal(0.90m, delta.PreviousMetrics["churn_probability"]);
    }

    [Fact]
    public async Task A_relative_tolerance_counts_moves_against_the_last_notified_value()
    {
        var push = DetectorTestBed.Push.Replace("    tolerance: 0.05\n  - name: usage_drop", "    relative_tolerance: 0.1\n  - name: usage_drop");
        await _bed.RunAsync(push);
        await _bed.ExecuteAsync("UPDATE accounts SET churn_probability = 0.98 WHERE id = 1"); // +8.9% of 0.90
        Assert.Equal(0, (await _bed.RunAsync(push)).DeltasEmitted);
        await _bed.ExecuteAsync("UPDATE accounts SET churn_probability = 1.00 WHERE id = 1"); // +11.1%

        Assert.Equal(DeltaKind.Changed, Assert.Single(_bed.Published(await _bed.RunAsync(push))).Kind);
    }

    [Fact]
    public async Task A_changed_metric_list_records_a_new_baseline_instead_of_comparing_misaligned_values()
    {
        await _bed.RunAsync();
        await _bed.ExecuteAsync("UPDATE accounts SET churn_probability = 0.99 WHERE id = 1");
        var reordered = DetectorTestBed.Push.Replace(
            "  - name: churn_probability\n    tolerance: 0.05\n  - name: usage_drop\n    tolerance: 0.05",
            "  - name: usage_drop\n    tolerance: 0.05\n  - name: churn_probability\n    tolerance: 0.05");
        Assert.NotEqual(DetectorTestBed.Push, reordered);

        var rebaselined = await _bed.RunAsync(reordered);
        await _bed.ExecuteAsync("UPDATE accounts SET churn_probability = 0.80, usage_drop = 0.25 WHERE id = 1");
        var next = Assert.Single(_bed.Published(await _bed.RunAsync(reordered)));

        Assert.True(rebaselined.Baseline);
        Assert.Empty(_bed.Published(rebaselined));
        Assert.Equal(0.99m, next.PreviousMetrics["churn_probability"]);
        Assert.Equal(0.00m, next.PreviousMetrics["usage_drop"]);
    }

    [Fact]
    public async Task A_push_can_send_only_some_kinds_of_change()
    {
        var push = DetectorTestBed.Push + "changes: [entered]\n";
        await _bed.RunAsync(push);
        await _bed.ExecuteAsync("""
            UPDATE accounts SET churn_probability = 0.95 WHERE id = 3;
            UPDATE accounts SET churn_probability = 0.99 WHERE id = 1;
            UPDATE accounts SET usage_drop = 0.10 WHERE id = 2;
            """);

        var delta = Assert.Single(_bed.Published(await _bed.RunAsync(push)));

        Assert.Equal(("3", DeltaKind.Entered), (delta.AccountKey, delta.Kind));
    }
}
