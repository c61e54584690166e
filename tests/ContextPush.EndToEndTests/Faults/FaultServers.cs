using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using ContextPush.AppHost.Servers;
using ContextPush.Testing.Servers;
using Microsoft.Extensions.DependencyInjection;

namespace ContextPush.EndToEndTests.Faults;

/// <summary>
/// RabbitMQ, PostgreSQL and Redis of the fault suite's own, run by Aspire's orchestrator so a
/// scenario can stop and start them as on-call would from the dashboard, without touching the
/// servers every other test shares. Their names are never given as connection strings, so these
/// servers are always local ones.
/// </summary>
public sealed class FaultServers : IAsyncDisposable
{
    public const string Messaging = "fault-messaging";
    public const string Postgres = "fault-postgres";
    public const string Cache = "fault-cache";

    private readonly DistributedApplication _app;

    private FaultServers(DistributedApplication app, SharedServers servers)
    {
        _app = app;
        Servers = servers;
    }

    public SharedServers Servers { get; }

    private ResourceCommandService Commands => _app.Services.GetRequiredService<ResourceCommandService>();

    /// <summary>
    /// The servers, with RabbitMQ as one node or as a cluster of <paramref name="brokerNodes"/> (named
    /// fault-messaging-1…N): clients are given every node, the first one first; the management API used
    /// is the second node's, which stays up when the first is killed.
    /// </summary>
    public static async Task<FaultServers> StartAsync(CancellationToken ct, int brokerNodes = 1)
    {
        var builder = TestingBuilderExtensions.CreateModel();
        IReadOnlyList<LocalRabbitMQResource> nodes = brokerNodes == 1
            ? [(LocalRabbitMQResource)builder.AddLocalRabbitMQ(Messaging).Resource]
            : [.. builder.AddLocalRabbitMQCluster(Messaging, brokerNodes).Select(n => n.Resource)];
        builder.AddLocalPostgres(Postgres);
        builder.AddLocalRedis(Cache);
        var app = builder.Build();
        await app.StartAsync(ct);
        await ServerStart.WaitHealthyAsync(app, nodes.Select(n => n.Name).Append(Postgres).Append(Cache), ct);

        var messaging = (await app.GetConnectionStringAsync(nodes[0].Name, ct))!;
        if (brokerNodes > 1)
        {
            messaging += "?nodes=" + string.Join(',', nodes.Skip(1).Select(n => $"127.0.0.1:{n.Port}"));
        }

        var servers = new FaultServers(app, new SharedServers(messaging, nodes[Math.Min(1, nodes.Count - 1)].ManagementUri,
            (await app.GetConnectionStringAsync(Postgres, ct))!, (await app.GetConnectionStringAsync(Cache, ct))!));
        if (brokerNodes > 1)
        {
            await servers.ClusterFormedAsync(brokerNodes);
        }

        return servers;
    }

    /// <summary>Every node running and a member of the one cluster, as the management API sees it.</summary>
    private Task ClusterFormedAsync(int nodes) => Eventually.UntilAsync($"a RabbitMQ cluster of {nodes} running nodes", async () =>
    {
        using var management = new RabbitMqManagement(Servers.MessagingManagement);
        using var listing = System.Text.Json.JsonDocument.Parse(await management.GetJsonAsync("api/nodes", CancellationToken.None));
        return listing.RootElement.EnumerateArray().Count(n => n.GetProperty("running").GetBoolean()) == nodes;
    }, TimeSpan.FromMinutes(2));

    /// <summary>Kills a server's process and all it started, as a node lost with its machine; the orchestrator does not start it again.</summary>
    public async Task KillAsync(string server)
    {
        var pid = _app.ResourceNotifications.ProcessIdOf(server);
        var tree = ProcessTree.Descendants(pid).Prepend(pid).ToList();
        tree.ForEach(p => ProcessTree.Signal(p, ProcessTree.SigKill));
        await Eventually.UntilAsync($"{server} gone", () => Task.FromResult(tree.All(p => !ProcessTree.IsAlive(p))));
    }

    /// <summary>Stops a server as the dashboard's Stop does (SIGTERM, then SIGKILL if it lingers).</summary>
    public async Task StopAsync(string server)
    {
        var result = await Commands.ExecuteCommandAsync(server, KnownResourceCommands.StopCommand, TestContext.Current.CancellationToken);
        Assert.True(result.Success, $"{server} did not stop: {result.Message}");
    }

    /// <summary>Starts a stopped server again with its data, and answers once it is healthy.</summary>
    public async Task StartAsync(string server)
    {
        var ct = TestContext.Current.CancellationToken;
        var result = await Commands.ExecuteCommandAsync(server, KnownResourceCommands.StartCommand, ct);
        Assert.True(result.Success, $"{server} did not start: {result.Message}");
        await ServerStart.WaitHealthyAsync(_app, [server], ct);
    }

    /// <summary>
    /// Restarts PostgreSQL the way an upgrade or a fail-over does: a fast shutdown that ends every
    /// session (57P01), then a start on the same data.
    /// </summary>
    public async Task RestartPostgresAsync()
    {
        var pid = _app.ResourceNotifications.ProcessIdOf(Postgres);
        ProcessTree.Signal(pid, ProcessTree.SigInt);
        await Eventually.UntilAsync("PostgreSQL shut down", () => Task.FromResult(!ProcessTree.IsAlive(pid)));
        await Eventually.UntilAsync("the orchestrator seeing PostgreSQL exit", () => Task.FromResult(
            _app.ResourceNotifications.TryGetCurrentState(Postgres, out var s) && s.Snapshot.State?.Text is "Exited" or "Finished" or "FailedToStart"));
        await StartAsync(Postgres);
        Npgsql.NpgsqlConnection.ClearAllPools(); // the test's own pooled sessions ended with the old server
    }

    public async ValueTask DisposeAsync()
    {
        Npgsql.NpgsqlConnection.ClearAllPools();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
