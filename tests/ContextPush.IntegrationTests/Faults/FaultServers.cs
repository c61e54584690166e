using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using ContextPush.AppHost.Servers;
using ContextPush.IntegrationTests.Servers;
using Microsoft.Extensions.DependencyInjection;

namespace ContextPush.IntegrationTests.Faults;

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

    public static async Task<FaultServers> StartAsync(CancellationToken ct)
    {
        var builder = TestingBuilderExtensions.CreateModel();
        var messaging = builder.AddLocalRabbitMQ(Messaging);
        builder.AddLocalPostgres(Postgres);
        builder.AddLocalRedis(Cache);
        var app = builder.Build();
        await app.StartAsync(ct);
        foreach (var name in new[] { Messaging, Postgres, Cache })
        {
            await app.ResourceNotifications.WaitForResourceHealthyAsync(name, ct);
        }

        var management = ((LocalRabbitMQResource)messaging.Resource).ManagementUri;
        return new FaultServers(app, new SharedServers((await app.GetConnectionStringAsync(Messaging, ct))!, management,
            (await app.GetConnectionStringAsync(Postgres, ct))!, (await app.GetConnectionStringAsync(Cache, ct))!));
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
        await _app.ResourceNotifications.WaitForResourceHealthyAsync(server, ct);
    }

    /// <summary>
    /// Restarts PostgreSQL the way an upgrade or a fail-over does: a fast shutdown that ends every
    /// session (57P01), then a start on the same data.
    /// </summary>
    public async Task RestartPostgresAsync()
    {
        Assert.True(_app.ResourceNotifications.TryGetCurrentState(Postgres, out var state), "no state for PostgreSQL");
        var pid = Convert.ToInt32(state.Snapshot.Properties.First(p => p.Name == "executable.pid").Value, System.Globalization.CultureInfo.InvariantCulture);
        ProcessTree.Signal(pid, ProcessTree.SigInt);
        await Eventually.UntilAsync("PostgreSQL shut down", () => Task.FromResult(!ProcessTree.IsAlive(pid)));
        await Eventually.UntilAsync("the orchestrator seeing PostgreSQL exit", () => Task.FromResult(
            _app.ResourceNotifications.TryGetCurrentState(Postgres, out var s) && s.Snapshot.State?.Text is "Exited" or "Finished" or "FailedToStart"));
        await StartAsync(Postgres);
    }

    public async ValueTask DisposeAsync()
    {
        Npgsql.NpgsqlConnection.ClearAllPools();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
