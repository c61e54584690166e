using ContextPush.Detector;
using ContextPush.Detector.Detection;
using ContextPush.Detector.Pushes;
using MassTransit;
using MySqlConnector;

namespace ContextPush.ComponentTests.Detector;

/// <summary>
/// A push on a MariaDB warehouse (a real Debian mariadb-server): the same push file and the same data
/// as on PostgreSQL give the same deltas, and MariaDB's refusals read as clearly as PostgreSQL's.
/// </summary>
public sealed class MariaDbWarehouseTests(ServersFixture fixture, MariaDbFixture mariaDb) : IClassFixture<MariaDbFixture>, IAsyncLifetime
{
    private const string Name = "crm_mirror";

    // The demo accounts of the test bed, with the same types.
    private const string Accounts = """
        CREATE TABLE accounts (id BIGINT PRIMARY KEY, name VARCHAR(100) NOT NULL, churn_probability DECIMAL(5, 4) NOT NULL,
                               usage_drop DECIMAL(5, 4) NOT NULL, segment VARCHAR(20) NOT NULL DEFAULT 'smb');
        INSERT INTO accounts (id, name, churn_probability, usage_drop) VALUES (1, 'Acme', 0.90, 0.00), (2, 'Globex', 0.10, 0.30), (3, 'Initech', 0.10, 0.00);
        CREATE SEQUENCE side_effect;
        """;

    private const string Changes = """
        UPDATE accounts SET churn_probability = 0.95 WHERE id = 3;
        UPDATE accounts SET churn_probability = 0.97 WHERE id = 1;
        UPDATE accounts SET usage_drop = 0.10 WHERE id = 2;
        """;

    private DetectorTestBed _postgres = null!;
    private DetectorTestBed _maria = null!;
    private string _connectionString = null!;

    public async ValueTask InitializeAsync()
    {
        _postgres = await DetectorTestBed.StartAsync(fixture);
        _maria = await DetectorTestBed.StartAsync(fixture);
        var (prefix, _) = fixture.NextIsolation("maria");
        _connectionString = await mariaDb.CreateDatabaseAsync(prefix, TestContext.Current.CancellationToken);
        await MariaAsync(Accounts);
    }

    public async ValueTask DisposeAsync()
    {
        await _postgres.DisposeAsync();
        await _maria.DisposeAsync();
    }

    [Fact]
    public async Task The_same_push_file_and_data_give_the_same_deltas_on_PostgreSQL_and_MariaDB()
    {
        var onPostgres = _postgres.Runner();
        var onMaria = MariaRunner();

        var baselines = (await RunAsync(onPostgres, DetectorTestBed.Push), await RunAsync(onMaria, OnMaria(DetectorTestBed.Push)));
        await _postgres.ExecuteAsync(Changes);
        await MariaAsync(Changes);
        var postgres = await RunAsync(onPostgres, DetectorTestBed.Push);
        var maria = await RunAsync(onMaria, OnMaria(DetectorTestBed.Push));

        Assert.True(baselines.Item2.Baseline);
        Assert.Equal(2, baselines.Item2.RowsRead);
        Assert.Equal(3, _postgres.Published(postgres).Count);
        Assert.Equal(_postgres.DeltaSummary(postgres), _maria.DeltaSummary(maria));
    }

    [Fact]
    public async Task A_cohort_over_its_timeout_is_cancelled_by_MariaDB_and_reported()
    {
        var run = await RunAsync(MariaRunner(), OnMaria(DetectorTestBed.Push.Replace("FROM accounts WHERE", "FROM accounts WHERE SLEEP(1) = 0 AND") + "timeout: 300ms\n"));

        Assert.Equal("failed", run.Status);
        Assert.Contains("ran longer than its timeout of 0.3s and was cancelled", run.Error);
    }

    [Fact]
    public async Task A_cohort_that_writes_is_refused_by_the_read_only_session()
    {
        var run = await RunAsync(MariaRunner(), OnMaria(DetectorTestBed.Push.Replace("churn_probability, usage_drop\n", "churn_probability, usage_drop, NEXTVAL(side_effect) AS n\n")));

        Assert.Equal("failed", run.Status);
        Assert.Contains("the cohort query tried to write", run.Error);
    }

    [Fact]
    public async Task A_metric_that_is_text_fails_the_run_naming_metric_and_row_and_is_refused_at_load()
    {
        var push = OnMaria(DetectorTestBed.Push.Replace("SELECT id AS account_id, churn_probability,", "SELECT id AS account_id, segment AS churn_probability,"));
        Assert.NotEqual(OnMaria(DetectorTestBed.Push), push);

        var run = await RunAsync(MariaRunner(), push);
        var atLoad = await new PushValidator(Sources()).ValidateAsync(DetectorTestBed.Load(push), TestContext.Current.CancellationToken);

        Assert.Equal("failed", run.Status);
        Assert.Contains("metric 'churn_probability' of row '1' is String (smb), not a number; cast it in the SELECT", run.Error);
        Assert.NotNull(atLoad);
        Assert.Equal(("metrics[0].name", "column 'churn_probability' is VARCHAR; a metric must be numeric (integer, numeric, real…): cast it in the SELECT"),
            (atLoad.Field, atLoad.Message));
    }

    [Fact]
    public async Task A_cohort_MariaDB_cannot_run_is_refused_at_load_in_its_words()
    {
        var error = await new PushValidator(Sources()).ValidateAsync(
            DetectorTestBed.Load(OnMaria(DetectorTestBed.Push.Replace("FROM accounts", "FROM acounts"))), TestContext.Current.CancellationToken);

        Assert.NotNull(error);
        Assert.Equal("cohort", error.Field);
        Assert.Contains($"the SQL does not run on '{Name}': Table '", error.Message);
        Assert.Contains("acounts' doesn't exist", error.Message);
    }

    [Fact]
    public async Task A_warehouse_lost_mid_stream_fails_the_run_and_records_nothing_of_it()
    {
        await RunAsync(MariaRunner(), OnMaria(DetectorTestBed.Push));
        var tracked = await _maria.TrackedAsync();
        // 20,000 rows streamed over about four seconds: the connection is killed while the copy is under way.
        var streaming = OnMaria(DetectorTestBed.Push.Replace("""
              SELECT id AS account_id, churn_probability, usage_drop
              FROM accounts WHERE churn_probability > 0.8 OR usage_drop > 0.2
            """, """
              WITH RECURSIVE g (n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM g WHERE n < 20000)
              SELECT n AS account_id, 0.99 AS churn_probability, 0.5 AS usage_drop
              FROM g WHERE (CASE WHEN n % 500 = 0 THEN SLEEP(0.1) ELSE 0 END) = 0
            """));
        Assert.NotEqual(OnMaria(DetectorTestBed.Push), streaming);

        var running = RunAsync(MariaRunner(), streaming);
        await Eventually.UntilAsync("the Detector copying the cohort into detectordb", async () =>
            await _maria.StateScalarAsync<long>("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'COPY cp_cohort%'") > 0);
        await Eventually.UntilAsync("the cohort query killed in MariaDB", async () =>
        {
            var killed = false;
            foreach (var id in await MariaListAsync("SELECT id FROM information_schema.processlist WHERE info LIKE '%WITH RECURSIVE g%' AND info NOT LIKE '%processlist%'"))
            {
                await MariaAsync($"KILL CONNECTION {id}");
                killed = true;
            }

            return killed;
        });
        var run = await running;

        Assert.Equal("failed", run.Status);
        Assert.True(run.Error!.Contains("push churn-risk: the warehouse is unavailable", StringComparison.Ordinal), run.Error);
        Assert.Empty(_maria.Published(run));
        Assert.Equal(tracked, await _maria.TrackedAsync());
    }

    private WarehouseSources Sources() => _maria.NewSources(settings: new Dictionary<string, string?>
    {
        [$"ConnectionStrings:{Name}"] = _connectionString,
        [$"Detector:Warehouses:{Name}:Engine"] = "mariadb",
    });

    private PushRunner MariaRunner() => _maria.Runner(options: new DetectorOptions { RunAttempts = 1 }, sources: Sources());

    private static string OnMaria(string push) => push + $"warehouse: {Name}\n";

    private static Task<ContextPush.Detector.Runs.RunRecord> RunAsync(PushRunner runner, string push) =>
        runner.RunAsync(DetectorTestBed.Load(push), "test", NewId.NextGuid(), TestContext.Current.CancellationToken);

    private async Task<List<long>> MariaListAsync(string sql)
    {
        await using var connection = new MySqlConnection(_connectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = new MySqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync(TestContext.Current.CancellationToken);
        var values = new List<long>();
        while (await reader.ReadAsync(TestContext.Current.CancellationToken))
        {
            values.Add(Convert.ToInt64(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture));
        }

        return values;
    }

    private async Task MariaAsync(string sql)
    {
        await using var connection = new MySqlConnection(_connectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = new MySqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
    }
}
