using Aspire.Hosting;
using Aspire.Hosting.Testing;
using ContextPush.AppHost.Servers;
using ContextPush.Testing.Servers;

namespace ContextPush.Testing;

/// <summary>
/// One set of real servers (RabbitMQ, PostgreSQL, Redis) for the whole test run, declared with the
/// AppHost's own resource extensions and run by Aspire's orchestrator, or taken from
/// ConnectionStrings__messaging/postgres/cache when those are set. Tests keep apart with a virtual
/// host, databases and a Redis database of their own (<see cref="NextIsolation"/>).
/// </summary>
public sealed class ServersFixture : IAsyncLifetime
{
    private static readonly string[] Names = ["messaging", "postgres", "cache"];
    private int _next;
    private DistributedApplication? _app;

    public SharedServers Servers { get; private set; } = null!;

    /// <summary>A prefix no other test uses, and a Redis database number of its own.</summary>
    public (string Prefix, int RedisDatabase) NextIsolation(string name)
    {
        var n = Interlocked.Increment(ref _next);
        return ($"{name}{n}_{Guid.NewGuid():N}"[..Math.Min(40, name.Length + 14)].ToLowerInvariant(), n);
    }

    public async ValueTask InitializeAsync()
    {
        using var starting = new CancellationTokenSource(TimeSpan.FromMinutes(10)); // a fresh machine installs the packages first
        var builder = TestingBuilderExtensions.CreateModel();
        var messaging = builder.AddLocalRabbitMQ("messaging");
        builder.AddLocalPostgres("postgres");
        builder.AddLocalRedis("cache");
        _app = builder.Build();
        await _app.StartAsync(starting.Token);
        await ServerStart.WaitHealthyAsync(_app, Names, starting.Token);

        var amqp = (await _app.GetConnectionStringAsync("messaging", starting.Token))!;
        var management = messaging.Resource is LocalRabbitMQResource local
            ? local.ManagementUri
            : new Uri(Environment.GetEnvironmentVariable("ConnectionStrings__messaging-management") ?? DefaultManagementUri(amqp));
        Servers = new SharedServers(amqp, management, (await _app.GetConnectionStringAsync("postgres", starting.Token))!,
            (await _app.GetConnectionStringAsync("cache", starting.Token))!);
    }

    private static string DefaultManagementUri(string amqp)
    {
        var uri = new Uri(amqp);
        return $"http://{(uri.UserInfo.Length > 0 ? uri.UserInfo : "guest:guest")}@{uri.Host}:15672/";
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            // PostgreSQL's shutdown waits for its clients: the tests' own pooled connections among them.
            Npgsql.NpgsqlConnection.ClearAllPools();
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}
