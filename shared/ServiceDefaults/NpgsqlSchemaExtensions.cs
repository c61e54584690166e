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

    /// <summary>
    /// Runs idempotent DDL so that replicas starting together take turns: PostgreSQL's
    /// <c>CREATE … IF NOT EXISTS</c> is not safe against itself (two sessions can both find the table
    /// missing, and one fails on pg_type's unique index), so a transaction-scoped advisory lock on the
    /// database serializes them, and the second finds everything in place.
    /// </summary>
    public static async Task ApplySchemaAsync(this NpgsqlDataSource dataSource, string ddl, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await using (var turn = new NpgsqlCommand("SELECT pg_advisory_xact_lock(hashtext('contextpush.schema'))", connection, transaction))
        {
            await turn.ExecuteNonQueryAsync(ct);
        }

        await using (var command = new NpgsqlCommand(ddl, connection, transaction))
        {
            await command.ExecuteNonQueryAsync(ct);
        }

        await transaction.CommitAsync(ct);
    }

    private sealed class SchemaInitializer(NpgsqlDataSource dataSource, string ddl) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => dataSource.ApplySchemaAsync(ddl, cancellationToken);

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
