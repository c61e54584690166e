using Aspire.Hosting;
using Aspire.Hosting.Testing;
using ContextPush.AppHost.Servers;
using ContextPush.Testing.Servers;
using MySqlConnector;

namespace ContextPush.Testing;

/// <summary>
/// A real MariaDB (Debian's package, started like the AppHost's servers) for the tests of MySQL-family
/// warehouses, or the server ConnectionStrings__mariadb names. Only the tests that need it start it;
/// each keeps to a database of its own.
/// </summary>
public sealed class MariaDbFixture : IAsyncLifetime
{
    private DistributedApplication? _app;

    public string ConnectionString { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        using var starting = new CancellationTokenSource(TimeSpan.FromMinutes(10)); // a fresh machine installs the package first
        var builder = TestingBuilderExtensions.CreateModel();
        builder.AddLocalMariaDb("mariadb");
        _app = builder.Build();
        await _app.StartAsync(starting.Token);
        await ServerStart.WaitHealthyAsync(_app, ["mariadb"], starting.Token);
        ConnectionString = (await _app.GetConnectionStringAsync("mariadb", starting.Token))!;
    }

    /// <summary>Creates (or recreates) a database and answers its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string name, CancellationToken ct = default)
    {
        await using var connection = new MySqlConnection(ConnectionString);
        await connection.OpenAsync(ct);
        await using var command = new MySqlCommand($"DROP DATABASE IF EXISTS `{name}`; CREATE DATABASE `{name}`", connection);
        await command.ExecuteNonQueryAsync(ct);
        return new MySqlConnectionStringBuilder(ConnectionString) { Database = name }.ConnectionString;
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            MySqlConnection.ClearAllPools();
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}
