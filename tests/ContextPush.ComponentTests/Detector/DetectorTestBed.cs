using ContextPush.PushFiles;
using ContextPush.DemoWarehouse;
using ContextPush.Detector;
using ContextPush.Detector.Detection;
using ContextPush.Detector.Runs;
using ContextPush.Detector.State;
using ContextPush.Detector.Telemetry;
using ContextPush.ServiceDefaults.Messaging;
using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace ContextPush.ComponentTests.Detector;

/// <summary>
/// The Detector's parts on a warehouse database of the test's own (three demo accounts, two in the
/// churn cohort) and a detectordb of its own, publishing into MassTransit's in-memory test harness.
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

    private DetectorTestBed(NpgsqlDataSource warehouse, DetectorState state, ServiceProvider services, ITestHarness harness)
    {
        Warehouse = warehouse;
        State = state;
        _services = services;
        Harness = harness;
        Sources = new WarehouseSources(warehouse, state, new ConfigurationBuilder().Build(), NullLogger<WarehouseSources>.Instance);
        Runs = new RunStore(state);
    }

    public NpgsqlDataSource Warehouse { get; }

    /// <summary>The warehouse's connection string, password included, for a fake that runs statements on it.</summary>
    public string WarehouseConnectionString { get; private init; } = "";

    /// <summary>The Detector's own database: tracked rows, history, runs, ticks.</summary>
    public DetectorState State { get; }

    public ITestHarness Harness { get; }

    public WarehouseSources Sources { get; }

    public RunStore Runs { get; }

    public DetectorMetrics Metrics => _services.GetRequiredService<DetectorMetrics>();

    public static async Task<DetectorTestBed> StartAsync(ServersFixture fixture)
    {
        var (prefix, _) = fixture.NextIsolation("detector");
        var warehouseConnection = await fixture.Servers.CreateDatabaseAsync(prefix);
        var warehouse = NpgsqlDataSource.Create(warehouseConnection);
        var state = new DetectorState(NpgsqlDataSource.Create(await fixture.Servers.CreateDatabaseAsync(prefix + "_detectordb")));
        await state.Source.ApplySchemaAsync(TrackingSql.Schema, CancellationToken.None);
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
        var bed = new DetectorTestBed(warehouse, state, services, harness) { WarehouseConnectionString = warehouseConnection };
        await bed.Sources.ReadyAsync(WarehouseSources.DefaultName, CancellationToken.None);
        return bed;
    }

    public static PushDefinition Load(string yaml)
    {
        var (push, error) = PushLoader.Load("churn-risk.yaml", yaml);
        Assert.True(error is null, error?.ToString());
        return push!;
    }

    public PushRunner Runner(IDetectionStages? stages = null, IBus? bus = null, DetectorOptions? options = null, TimeProvider? clock = null,
        WarehouseSources? sources = null) => new(sources ?? Sources, State,
        bus ?? Harness.Bus, Runs, stages ?? new NoDetectionStages(), Options.Create(options ?? new DetectorOptions()), clock ?? TimeProvider.System, Metrics,
        NullLogger<PushRunner>.Instance, Confirmations);

    /// <summary>What the runners' publishes told about the broker's confirms.</summary>
    public PublishConfirmations Confirmations { get; } = new();

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

    /// <summary>Changes to the seeded accounts that make one delta of each kind, for comparing engines.</summary>
    public const string ThreeChanges = """
        UPDATE accounts SET churn_probability = 0.95 WHERE id = 3;
        UPDATE accounts SET churn_probability = 0.97 WHERE id = 1;
        UPDATE accounts SET usage_drop = 0.10 WHERE id = 2;
        """;

    /// <summary>A cohort of 2,500 generated accounts: enough for several partitions or pages.</summary>
    public const string LargeCohort = """
          SELECT g AS account_id, 0.99 AS churn_probability, (g % 7) / 10.0 AS usage_drop
          FROM generate_series(1, 2500) g
        """;

    /// <summary>A cohort that writes (a sequence's next value), on a warehouse where <see cref="CreateSideEffect"/> ran.</summary>
    public const string CreateSideEffect = "CREATE SEQUENCE side_effect";

    public const string WritingCohort = """
          SELECT id AS account_id, churn_probability, usage_drop, nextval('side_effect') AS n FROM accounts
        """;

    /// <summary>The test push, slowed to two seconds, with a timeout of one.</summary>
    public static string SlowPush => Push.Replace("FROM accounts WHERE", "FROM accounts, pg_sleep(2) WHERE") + "timeout: 1s\n";

    /// <summary>The load-time checks of a push on an engine: a text metric, a missing table, and the push as it is.</summary>
    public static async Task<(PushLoadError? TextMetric, PushLoadError? MissingTable, PushLoadError? Good)> LoadChecksAsync(
        ContextPush.Detector.Pushes.PushValidator validator, Func<string, string> onEngine)
    {
        var ct = TestContext.Current.CancellationToken;
        var text = await validator.ValidateAsync(Load(onEngine(Push.Replace(
            "SELECT id AS account_id, churn_probability,", "SELECT id AS account_id, name AS churn_probability,"))), ct);
        var missing = await validator.ValidateAsync(Load(onEngine(Push.Replace("FROM accounts", "FROM acounts"))), ct);
        return (text, missing, await validator.ValidateAsync(Load(onEngine(Push)), ct));
    }

    /// <summary>
    /// Acme's usage on the ten days before today (0.11 … 0.20: mean 0.155), and two values that must not
    /// count: today's own and one from beyond the 14-day window.
    /// </summary>
    public const string UsageHistory = """
        CREATE TABLE usage_daily (account bigint, day timestamptz, drop numeric);
        INSERT INTO usage_daily SELECT 1, date_trunc('day', now()) - make_interval(days => d), 0.10 + d * 0.01 FROM generate_series(1, 10) d;
        INSERT INTO usage_daily VALUES (1, date_trunc('day', now()), 9.9), (1, date_trunc('day', now()) - make_interval(days => 20), 5.0);
        """;

    /// <summary>The push sending its first run, with a history query over <see cref="UsageHistory"/> for usage_drop.</summary>
    public static string WithHistoryQuery(string push) => push + """
        first_run: send
        throttle:
          priority:
            metric: usage_drop
            history_sql: "SELECT day AS observed_at, drop AS value FROM usage_daily WHERE account = CAST(@key AS BIGINT)"

        """;

    /// <summary>The test push with another cohort query.</summary>
    public static string WithCohort(string cohort)
    {
        var push = Push.Replace("""
              SELECT id AS account_id, churn_probability, usage_drop
              FROM accounts WHERE churn_probability > 0.8 OR usage_drop > 0.2
            """, cohort);
        Assert.NotEqual(Push, push);
        return push;
    }

    public static Task<RunRecord> RunAsync(PushRunner runner, string push) =>
        runner.RunAsync(Load(push), "test", NewId.NextGuid(), TestContext.Current.CancellationToken);

    /// <summary>A run's deltas, comparable across engines: id, key, kind and metrics, by key.</summary>
    public List<(Guid, string, Contracts.DeltaKind, string)> DeltaSummary(RunRecord run) =>
        [.. Published(run).Select(d => (d.DeltaId, d.AccountKey, d.Kind, string.Join(",", d.Metrics.OrderBy(m => m.Key).Select(m => $"{m.Key}={m.Value:0.####}"))))
            .OrderBy(d => d.AccountKey)];

    /// <summary>The tracked state of every push, as one text: what a failed run must leave as it was.</summary>
    public Task<string> TrackedAsync() => StateScalarAsync<string>(
        "SELECT coalesce(string_agg(row_key || '=' || metrics::text || '@' || notified_at::text, ';' ORDER BY row_key), '') FROM contextpush.tracked_rows");

    /// <summary>Warehouses as a new Detector process sees them: nothing checked or moved yet.</summary>
    public WarehouseSources NewSources(NpgsqlDataSource? warehouse = null, IReadOnlyDictionary<string, string?>? settings = null) =>
        new(warehouse ?? Warehouse, State, new ConfigurationBuilder().AddInMemoryCollection(settings ?? new Dictionary<string, string?>()).Build(),
            NullLogger<WarehouseSources>.Instance);

    public async Task<T> ScalarAsync<T>(string sql)
    {
        await using var command = Warehouse.CreateCommand(sql);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>A value from detectordb.</summary>
    public async Task<T> StateScalarAsync<T>(string sql)
    {
        await using var command = State.CreateCommand(sql);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    public async Task StateExecuteAsync(string sql)
    {
        await using var command = State.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await Harness.Stop();
        await _services.DisposeAsync();
        await Warehouse.DisposeAsync();
        await State.Source.DisposeAsync();
    }
}
