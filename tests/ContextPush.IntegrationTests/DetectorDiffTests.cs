using ContextPush.Contracts;
using ContextPush.DemoWarehouse;
using ContextPush.Detector;
using ContextPush.Detector.Detection;
using ContextPush.Detector.Pushes;
using ContextPush.Detector.Runs;
using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace ContextPush.IntegrationTests;

/// <summary>The Detector's set-based diff on the real PostgreSQL, publishing into MassTransit's test harness.</summary>
public sealed class DetectorDiffTests(ServersFixture fixture) : IAsyncLifetime
{
    private const string Push = """
        id: churn-risk
        cohort: |
          SELECT id AS account_id, churn_probability, usage_drop
          FROM accounts WHERE churn_probability > 0.8 OR usage_drop > 0.2
        key: [account_id]
        metrics:
          - name: churn_probability
            tolerance: 0.05
          - name: usage_drop
            tolerance: 0.05
        schedule: "0 8 * * *"
        """;

    private NpgsqlDataSource _warehouse = null!;
    private ServiceProvider _services = null!;
    private ITestHarness _harness = null!;

    public async ValueTask InitializeAsync()
    {
        var (prefix, _) = fixture.NextIsolation("diff");
        _warehouse = NpgsqlDataSource.Create(await fixture.Servers.CreateDatabaseAsync(prefix));
        await DemoWarehouseSeeder.EnsureSchemaAsync(_warehouse);
        await ExecuteAsync("""
            INSERT INTO owners (id, name, email) VALUES (1, 'Ada', 'ada@example.com');
            INSERT INTO accounts (id, name, owner_id, churn_probability, usage_drop, crm_url) VALUES
                (1, 'Acme', 1, 0.90, 0.00, 'https://crm/1'),
                (2, 'Globex', 1, 0.10, 0.30, 'https://crm/2'),
                (3, 'Initech', 1, 0.10, 0.00, 'https://crm/3');
            """);
        await new TrackingSchemaInitializer(_warehouse).StartAsync(CancellationToken.None);
        _services = new ServiceCollection().AddMassTransitTestHarness().BuildServiceProvider(true);
        _harness = _services.GetRequiredService<ITestHarness>();
        await _harness.Start();
    }

    public async ValueTask DisposeAsync()
    {
        await _harness.Stop();
        await _services.DisposeAsync();
        await _warehouse.DisposeAsync();
    }

    [Fact]
    public async Task The_first_run_records_a_baseline_and_sends_nothing()
    {
        var run = await RunAsync();

        Assert.True(run.Baseline);
        Assert.Equal(2, run.RowsRead);
        Assert.Empty(await PublishedAsync(run));
    }

    [Fact]
    public async Task A_first_run_can_be_asked_to_send_every_row()
    {
        var run = await RunAsync(Push + "\nfirst_run: send\n");

        Assert.False(run.Baseline);
        Assert.Equal(["1", "2"], (await PublishedAsync(run)).Select(d => d.AccountKey).Order());
    }

    [Fact]
    public async Task Entered_changed_beyond_tolerance_and_left_rows_are_emitted_and_nothing_else()
    {
        await RunAsync();
        await ExecuteAsync("""
            UPDATE accounts SET churn_probability = 0.95 WHERE id = 3;   -- entered
            UPDATE accounts SET churn_probability = 0.97 WHERE id = 1;   -- changed by 0.07 > 0.05
            UPDATE accounts SET usage_drop = 0.10 WHERE id = 2;          -- left
            """);

        var deltas = (await PublishedAsync(await RunAsync())).ToDictionary(d => d.AccountKey);

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
        await RunAsync();
        await ExecuteAsync("UPDATE accounts SET churn_probability = 0.94 WHERE id = 1"); // 0.04 <= 0.05

        for (var i = 0; i < 3; i++)
        {
            var run = await RunAsync();
            Assert.Equal(0, run.DeltasEmitted);
            Assert.Empty(await PublishedAsync(run));
        }
    }

    [Fact]
    public async Task Drift_accumulates_against_the_last_notified_value_not_the_last_run()
    {
        await RunAsync();
        await ExecuteAsync("UPDATE accounts SET churn_probability = 0.93 WHERE id = 1");
        Assert.Equal(0, (await RunAsync()).DeltasEmitted);
        await ExecuteAsync("UPDATE accounts SET churn_probability = 0.96 WHERE id = 1"); // 0.06 from the notified 0.90

        var delta = Assert.Single(await PublishedAsync(await RunAsync()));

        Assert.Equal(0.90m, delta.PreviousMetrics["churn_probability"]);
    }

    private async Task<RunRecord> RunAsync(string yaml = Push)
    {
        var (push, error) = PushLoader.Load("churn-risk.yaml", yaml);
        Assert.Null(error);
        var runner = new PushRunner(_warehouse, _harness.Bus, new RunStore(_warehouse), Options.Create(new DetectorOptions()),
            TimeProvider.System, NullLogger<PushRunner>.Instance);
        var run = await runner.RunAsync(push!, "test", NewId.NextGuid(), TestContext.Current.CancellationToken);
        Assert.Equal("succeeded", run.Status);
        return run;
    }

    private Task<List<DeltaDetected>> PublishedAsync(RunRecord run) =>
        // Publishing completed inside the run (confirmed batches), so the harness already holds them all.
        Task.FromResult(_harness.Published.Select<DeltaDetected>(m => m.Context.Message.RunId == run.RunId)
            .Select(m => m.Context.Message).ToList());

    private async Task ExecuteAsync(string sql)
    {
        await using var command = _warehouse.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }
}
