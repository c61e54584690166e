using Aspire.Hosting;
using Aspire.Hosting.Testing;
using ContextPush.AppHost.Servers;
using Npgsql;

namespace ContextPush.Bench.Detection;

/// <summary>
/// RabbitMQ and PostgreSQL for one benchmark run, declared with the AppHost's own resource extensions
/// and run by Aspire's orchestrator (or taken from ConnectionStrings__messaging/postgres when set).
/// </summary>
internal sealed class BenchServers(DistributedApplication app, string messaging, string postgres) : IAsyncDisposable
{
    public string Messaging { get; } = messaging;

    public static async Task<BenchServers> StartAsync()
    {
        var builder = ThisAppHost.Orchestrates(() => DistributedApplicationTestingBuilder.Create(
            "--Logging:LogLevel:Default=Warning", "--Logging:LogLevel:ContextPush.AppHost.Resources=None",
            "--Logging:LogLevel:Microsoft.Extensions.Diagnostics.HealthChecks=None"));
        builder.AddLocalRabbitMQ("messaging");
        builder.AddLocalPostgres("postgres");
        var app = builder.Build();
        using var starting = new CancellationTokenSource(TimeSpan.FromMinutes(10)); // a fresh machine installs the packages first
        await app.StartAsync(starting.Token);
        await app.ResourceNotifications.WaitForResourceHealthyAsync("messaging", starting.Token);
        await app.ResourceNotifications.WaitForResourceHealthyAsync("postgres", starting.Token);
        return new BenchServers(app, (await app.GetConnectionStringAsync("messaging", starting.Token))!,
            (await app.GetConnectionStringAsync("postgres", starting.Token))!);
    }

    /// <summary>Creates (or recreates) a database and answers its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string name)
    {
        await using (var connection = new NpgsqlConnection(postgres))
        {
            await connection.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", connection);
            await drop.ExecuteNonQueryAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await create.ExecuteNonQueryAsync();
        }

        return new NpgsqlConnectionStringBuilder(postgres) { Database = name }.ConnectionString;
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
