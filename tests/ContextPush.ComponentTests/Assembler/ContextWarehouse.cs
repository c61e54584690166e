using System.Security.Cryptography;
using ContextPush.DemoWarehouse;
using ContextPush.Testing.Fakes;
using MySqlConnector;
using Npgsql;

namespace ContextPush.ComponentTests.Assembler;

/// <summary>
/// One account (7, Acme Corp, owned by Ann Lee) with four tickets, and a ticket of another account, in a
/// warehouse of the given engine: PostgreSQL, a real MariaDB, or the Snowflake or BigQuery fake over a
/// PostgreSQL database of its own. Tables and types are the demo warehouse's.
/// </summary>
public sealed class ContextWarehouse : IAsyncDisposable
{
    private const string Rows = """
        INSERT INTO owners (id, name, email, slack_user_id) VALUES (11, 'Ann Lee', 'ann@example.com', 'U0ANN');
        INSERT INTO accounts (id, name, owner_id, churn_probability, usage_drop, crm_url)
        VALUES (7, 'Acme Corp', 11, 0.9, 0.1, 'https://acme.my.salesforce.com/001ACME'), (8, 'Globex', NULL, 0.1, 0.1, 'https://acme.my.salesforce.com/001GLOBEX');
        INSERT INTO tickets (account_id, subject, priority, status, created_at) VALUES
            (7, 'Oldest: invoice copy', 'low', 'closed', '2026-10-01 09:00:00+00'),
            (7, 'SSO broken', 'urgent', 'open', '2026-11-20 08:30:00+00'),
            (7, 'Export times out', 'high', 'pending', '2026-11-18 14:00:00+00'),
            (7, 'New seats', 'normal', 'new', '2026-11-10 10:15:00+00'),
            (8, 'Not Acme''s', 'urgent', 'open', '2026-11-29 10:00:00+00');
        """;

    private const string MariaDbSchema = """
        CREATE TABLE owners (id INT PRIMARY KEY, name VARCHAR(100) NOT NULL, email VARCHAR(200) NOT NULL, slack_user_id VARCHAR(20));
        CREATE TABLE accounts (id BIGINT PRIMARY KEY, name VARCHAR(100) NOT NULL, owner_id INT, churn_probability DECIMAL(5, 4) NOT NULL,
                               usage_drop DECIMAL(5, 4) NOT NULL, crm_url VARCHAR(300) NOT NULL);
        CREATE TABLE tickets (id BIGINT AUTO_INCREMENT PRIMARY KEY, account_id BIGINT NOT NULL, subject VARCHAR(300) NOT NULL,
                              priority VARCHAR(10) NOT NULL, status VARCHAR(10) NOT NULL, created_at DATETIME(6) NOT NULL);
        """;

    private readonly RSA _key = RSA.Create(2048);
    private IAsyncDisposable? _fake;

    private ContextWarehouse(string engine) => Engine = engine;

    public string Engine { get; }

    /// <summary>What the Assembler is given as ConnectionStrings__warehouse.</summary>
    public string ConnectionString { get; private set; } = null!;

    public FakeSnowflake? Snowflake => _fake as FakeSnowflake;

    public FakeBigQuery? BigQuery => _fake as FakeBigQuery;

    public static async Task<ContextWarehouse> StartAsync(ServersFixture fixture, MariaDbFixture mariaDb, string engine)
    {
        var warehouse = new ContextWarehouse(engine);
        var (prefix, _) = fixture.NextIsolation("ctx" + engine);
        if (engine == "mariadb")
        {
            warehouse.ConnectionString = await mariaDb.CreateDatabaseAsync(prefix);
            await using var connection = new MySqlConnection(warehouse.ConnectionString);
            await connection.OpenAsync();
            // MariaDB reads the offsets of the timestamps and keeps them as UTC DATETIMEs.
            await using var command = new MySqlCommand("SET time_zone = '+00:00';" + MariaDbSchema + Rows.Replace("+00'", "'", StringComparison.Ordinal), connection);
            await command.ExecuteNonQueryAsync();
            return warehouse;
        }

        var database = await fixture.Servers.CreateDatabaseAsync(prefix);
        await using (var source = NpgsqlDataSource.Create(database))
        {
            await DemoWarehouseSeeder.EnsureSchemaAsync(source);
            await using var command = source.CreateCommand(Rows);
            await command.ExecuteNonQueryAsync();
        }

        var publicKey = RSA.Create(warehouse._key.ExportParameters(false));
        switch (engine)
        {
            case "snowflake":
                var snowflake = await FakeSnowflake.StartAsync(database, "myorg-analytics", "contextpush", publicKey);
                snowflake.RunAfter = TimeSpan.FromMilliseconds(20);
                warehouse._fake = snowflake;
                warehouse.ConnectionString = snowflake.ConnectionString(warehouse._key);
                break;
            case "bigquery":
                var bigQuery = await FakeBigQuery.StartAsync(database, "acme-analytics", "contextpush@acme-analytics.iam.gserviceaccount.com", "4f1d6e0c2b", publicKey);
                bigQuery.RunAfter = TimeSpan.FromMilliseconds(20);
                warehouse._fake = bigQuery;
                warehouse.ConnectionString = bigQuery.ConnectionString(warehouse._key) + ";Dataset=crm";
                break;
            default:
                warehouse.ConnectionString = database;
                break;
        }

        return warehouse;
    }

    public async ValueTask DisposeAsync()
    {
        if (_fake is not null)
        {
            await _fake.DisposeAsync();
        }

        _key.Dispose();
    }
}
