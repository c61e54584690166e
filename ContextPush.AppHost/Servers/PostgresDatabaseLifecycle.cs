using ContextPush.DemoWarehouse;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace ContextPush.AppHost.Servers;

/// <summary>
/// Brings a database resource up: waits for its server, creates the database unless it exists,
/// seeds the demo warehouse when asked, and only then reports Running, so whatever waits for the
/// database starts on a complete one.
/// </summary>
internal static class PostgresDatabaseLifecycle
{
    public static async Task RunAsync(PostgresDatabaseResource database, InitializeResourceEvent e, CancellationToken ct)
    {
        var notifications = e.Notifications;
        await notifications.PublishUpdateAsync(database, s => s with { State = KnownResourceStates.Waiting });
        await notifications.WaitForDependenciesAsync(database, ct);
        await e.Eventing.PublishAsync(new BeforeResourceStartedEvent(database, e.Services), ct);
        await notifications.PublishUpdateAsync(database, s => s with { State = KnownResourceStates.Starting, StartTimeStamp = DateTime.UtcNow });
        try
        {
            await CreateAsync(database, e.Logger, ct);
            if (database.Annotations.OfType<DemoSeedAnnotation>().SingleOrDefault() is { } seed)
            {
                e.Logger.LogInformation("Seeding {Database} with {Accounts} demo accounts", database.DatabaseName, seed.Accounts);
                await using var dataSource = NpgsqlDataSource.Create(await database.ConnectionStringExpression.GetValueAsync(ct) ?? "");
                await DemoWarehouseSeeder.SeedAsync(dataSource, seed.Accounts, ct: ct);
            }

            await notifications.PublishUpdateAsync(database, s => s with { State = KnownResourceStates.Running });
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            e.Logger.LogError(ex, "Could not create the database {Database}", database.DatabaseName);
            await notifications.PublishUpdateAsync(database, s => s with { State = KnownResourceStates.FailedToStart });
        }
    }

    private static async Task CreateAsync(PostgresDatabaseResource database, ILogger logger, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(await database.Server.ConnectionStringExpression.GetValueAsync(ct));
        await connection.OpenAsync(ct);
        await using var exists = new NpgsqlCommand("SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = @name)", connection);
        exists.Parameters.AddWithValue("name", database.DatabaseName);
        if ((bool)(await exists.ExecuteScalarAsync(ct))!)
        {
            logger.LogInformation("Using the existing database {Database}", database.DatabaseName);
            return;
        }

        // An identifier cannot be a parameter; quote_ident does the quoting.
        await using var quote = new NpgsqlCommand("SELECT quote_ident(@name)", connection);
        quote.Parameters.AddWithValue("name", database.DatabaseName);
        await using var create = new NpgsqlCommand($"CREATE DATABASE {(string)(await quote.ExecuteScalarAsync(ct))!}", connection);
        await create.ExecuteNonQueryAsync(ct);
        logger.LogInformation("Created the database {Database}", database.DatabaseName);
    }
}
