using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using StackExchange.Redis;

namespace Microsoft.Extensions.Hosting;

/// <summary>Stands in for Aspire.StackExchange.Redis with the same signature.</summary>
public static class RedisExtensions
{
    /// <summary>Registers a shared <see cref="IConnectionMultiplexer"/> for <c>ConnectionStrings:{connectionName}</c> and its health check.</summary>
    public static void AddRedisClient(this IHostApplicationBuilder builder, string connectionName,
        Action<ConfigurationOptions>? configureOptions = null)
    {
        var connectionString = builder.Configuration.GetConnectionString(connectionName)
            ?? throw new InvalidOperationException(
                $"ConnectionStrings:{connectionName} is not set: {builder.Environment.ApplicationName} needs Redis (host:port).");
        var options = ConfigurationOptions.Parse(connectionString);
        // Start even while Redis is down and reconnect when it returns; callers fail and retry meanwhile.
        options.AbortOnConnectFail = false;
        configureOptions?.Invoke(options);
        builder.Services.AddSingleton<IConnectionMultiplexer>(_ => ConnectionMultiplexer.Connect(options));
        builder.Services.AddHealthChecks().Add(new HealthCheckRegistration($"redis-{connectionName}",
            sp => new RedisHealthCheck(sp.GetRequiredService<IConnectionMultiplexer>()), HealthStatus.Unhealthy, ["ready"]));
    }

    private sealed class RedisHealthCheck(IConnectionMultiplexer redis) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            try
            {
                await redis.GetDatabase().PingAsync();
                return HealthCheckResult.Healthy();
            }
            catch (RedisException e)
            {
                return HealthCheckResult.Unhealthy("Redis does not answer", e);
            }
        }
    }
}
