using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Microsoft.Extensions.Hosting;

/// <summary>A service's own tables, created (idempotent DDL) when it starts.</summary>
public static class NpgsqlSchemaExtensions
{
    /// <summary>
    /// Runs <paramref name="ddl"/> on the service's <see cref="NpgsqlDataSource"/> at start. Hosted
    /// services start in registration order, so register it before AddMessaging: the tables exist
    /// before the bus delivers the first message.
    /// </summary>
    public static IServiceCollection AddNpgsqlSchema(this IServiceCollection services, string ddl) =>
        services.AddSingleton<IHostedService>(sp => new SchemaInitializer(sp.GetRequiredService<NpgsqlDataSource>(), ddl));

    private sealed class SchemaInitializer(NpgsqlDataSource dataSource, string ddl) : IHostedService
    {
        public async Task StartAsync(CancellationToken cancellationToken)
        {
            await using var command = dataSource.CreateCommand(ddl);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
