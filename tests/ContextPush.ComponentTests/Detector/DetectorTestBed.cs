using ContextPush.PushFiles;
using ContextPush.DemoWarehouse;
using ContextPush.Detector;
using ContextPush.Detector.Detection;
using ContextPush.Detector.Runs;
using ContextPush.Detector.Telemetry;
using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace ContextPush.ComponentTests.Detector;

/// <summary>
/// The Detector's parts on a warehouse database of the test's own (three demo accounts, two in the
/// churn cohort), publishing into MassTransit's in-memory test harness.
/// </summary>
public sealed class DetectorTestBed : IAsyncDisposable
{
    public const string Push = """
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

    private readonly ServiceProvider _services;

    private DetectorTestBed(NpgsqlDataSource warehouse, ServiceProvider services, ITestHarness harness)
    {
        Warehouse = warehouse;
        _services = services;
        Harness = harness;
        Sources = new WarehouseSources(warehouse, new ConfigurationBuilder().Build());
        Runs = new RunStore(warehouse);
    }

    public NpgsqlDataSource Warehouse { get; }

    public ITestHarness Harness { get; }

    public WarehouseSources Sources { get; }

    public RunStore Runs { get; }

    public DetectorMetrics Metrics => _services.GetRequiredService<DetectorMetrics>();

    public static async Task<DetectorTestBed> StartAsync(ServersFixture fixture)
    {
        var (prefix, _) = fixture.NextIsolation("detector");
        var warehouse = NpgsqlDataSource.Create(await fixture.Servers.CreateDatabaseAsync(prefix));
        await DemoWarehouseSeeder.EnsureSchemaAsync(warehouse);
        await using (var seed = warehouse.CreateCommand("""
            INSERT INTO owners (id, name, email) VALUES (1, 'Ada', 'ada@example.com');
            INSERT INTO accounts (id, name, owner_id, churn_probability, usage_drop, crm_url) VALUES
                (1, 'Acme', 1, 0.90, 0.00, 'https://crm/1'),
                (2, 'Globex', 1, 0.10, 0.30, 'https://crm/2'),
                (3, 'Initech', 1, 0.10, 0.00, 'https://crm/3');
            """))
        {
            await seed.ExecuteNonQueryAsync();
        }

        // Logging of our own: the harness otherwise writes every bus event to the console at debug level.
        var services = new ServiceCollection().AddLogging().AddMetrics().AddSingleton<DetectorMetrics>().AddMassTransitTestHarness().BuildServiceProvider(true);
        var harness = services.GetRequiredService<ITestHarness>();
        await harness.Start();
        var bed = new DetectorTestBed(warehouse, services, harness);
        await bed.Sources.ReadyAsync(WarehouseSources.DefaultName, CancellationToken.None);
        return bed;
    }

    public static PushDefinition Load(string yaml)
    {
        var (push, error) = PushLoader.Load("churn-risk.yaml", yaml);
        Assert.True(error is null, error?.ToString());
        return push!;
    }

    public PushRunner Runner(IDetectionStages? stages = null, IBus? bus = null, DetectorOptions? options = null, TimeProvider? clock = null) => new(Sources,
        bus ?? Harness.Bus, Runs, stages ?? new NoDetectionStages(), Options.Create(options ?? new DetectorOptions()), clock ?? TimeProvider.System, Metrics,
        NullLogger<PushRunner>.Instance);

    public Task<RunRecord> RunAsync(string yaml = Push, IDetectionStages? stages = null) =>
        Runner(stages).RunAsync(Load(yaml), "test", NewId.NextGuid(), TestContext.Current.CancellationToken);

    /// <summary>Publishing completed inside the run (confirmed batches), so the harness already holds them all.</summary>
    public List<Contracts.DeltaDetected> Published(RunRecord run) =>
        Harness.Published.Select<Contracts.DeltaDetected>(m => m.Context.Message.RunId == run.RunId).Select(m => m.Context.Message).ToList();

    public async Task ExecuteAsync(string sql)
    {
        await using var command = Warehouse.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }

    public async Task<T> ScalarAsync<T>(string sql)
    {
        await using var command = Warehouse.CreateCommand(sql);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    public async ValueTask DisposeAsync()
    {
        await Harness.Stop();
        await _services.DisposeAsync();
        await Warehouse.DisposeAsync();
    }
}
