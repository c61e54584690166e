using Aspire.Hosting;
using Aspire.Hosting.Testing;
using ContextPush.AppHost.Servers;

namespace ContextPush.Bench.Pipeline;

/// <summary>
/// RabbitMQ, PostgreSQL and Redis for one benchmark run, declared with the AppHost's own resource
/// extensions and run by Aspire's orchestrator, apart from the services so their processes can be told apart.
/// </summary>
internal sealed class BenchServers(DistributedApplication app) : IAsyncDisposable
{
    public static readonly string[] Names = ["messaging", "postgres", "cache"];

    public required IReadOnlyDictionary<string, string> ConnectionStrings { get; init; }

    public static async Task<BenchServers> StartAsync()
    {
        var builder = ThisAppHost.Orchestrates(() => DistributedApplicationTestingBuilder.Create(BenchSystem.QuietLogging));
        builder.AddLocalRabbitMQ("messaging");
        builder.AddLocalPostgres("postgres");
        builder.AddLocalRedis("cache");
        var app = builder.Build();
        using var starting = new CancellationTokenSource(TimeSpan.FromMinutes(10)); // a fresh machine installs the packages first
        await app.StartAsync(starting.Token);
        var connectionStrings = new Dictionary<string, string>();
        foreach (var name in Names)
        {
            await app.ResourceNotifications.WaitForResourceHealthyAsync(name, starting.Token);
            connectionStrings[name] = (await app.GetConnectionStringAsync(name, starting.Token))!;
        }

        return new BenchServers(app) { ConnectionStrings = connectionStrings };
    }

    /// <summary>Each server's processes (the launched one and its children: postgres backends, beam's helpers).</summary>
    public IReadOnlyList<int> Processes(string name)
    {
        var pid = app.ResourceNotifications.ProcessIdOf(name);
        return [.. ProcessUsage.Descendants(pid).Prepend(pid)];
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
