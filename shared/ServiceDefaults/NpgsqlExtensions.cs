using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Stands in for Aspire.Npgsql with the same signature, so moving to real Aspire means deleting
/// this file and adding the package, with no Program.cs change.
/// </summary>
public static class NpgsqlExtensions
{
    /// <summary>Registers an <see cref="NpgsqlDataSource"/> for <c>ConnectionStrings:{connectionName}</c> and its health check.</summary>
    public static void AddNpgsqlDataSource(this IHostApplicationBuilder builder, string connectionName,
        Action<NpgsqlDataSourceBuilder>? configureDataSourceBuilder = null)
    {
        var connectionString = builder.Configuration.GetConnectionString(connectionName)
            ?? throw new InvalidOperationException(
                $"ConnectionStrings:{connectionName} is not set: {builder.Environment.ApplicationName} needs this PostgreSQL database.");
        builder.Services.AddSingleton(_ =>
        {
            var dataSource = new NpgsqlDataSourceBuilder(connectionString);
            configureDataSourceBuilder?.Invoke(dataSource);
            return dataSource.Build();
        });
        builder.Services.AddHealthChecks().Add(new HealthCheckRegistration($"postgres-{connectionName}",
            sp => new NpgsqlHealthCheck(sp.GetRequiredService<NpgsqlDataSource>()), HealthStatus.Unhealthy, ["ready"]));
    }

    /// <summary>A second database of a service, resolved with [FromKeyedServices(connectionName)] (Aspire's AddKeyedNpgsqlDataSource).</summary>
    public static void AddKeyedNpgsqlDataSource(this IHostApplicationBuilder builder, string connectionName)
    {
        var connectionString = builder.Configuration.GetConnectionString(connectionName)
            ?? throw new InvalidOperationException(
                $"ConnectionStrings:{connectionName} is not set: {builder.Environment.ApplicationName} needs this PostgreSQL database.");
        builder.Services.AddKeyedSingleton(connectionName, (_, _) => NpgsqlDataSource.Create(connectionString));
        builder.Services.AddHealthChecks().Add(new HealthCheckRegistration($"postgres-{connectionName}",
            sp => new NpgsqlHealthCheck(sp.GetRequiredKeyedService<NpgsqlDataSource>(connectionName)), HealthStatus.Unhealthy, ["ready"]));
    }

    private sealed class NpgsqlHealthCheck(NpgsqlDataSource dataSource) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            try
            {
                await using var command = dataSource.CreateCommand("SELECT 1");
                await command.ExecuteScalarAsync(cancellationToken);
                return HealthCheckResult.Healthy();
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException)
            {
                return HealthCheckResult.Unhealthy("PostgreSQL does not answer", e);
            }
        }
    }
}
