using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ContextPush.ComponentTests.Consumers;

/// <summary>
/// One service composed exactly as its Program.cs composes it, on databases and a Redis database of
/// its own, with MassTransit's test harness in place of RabbitMQ: its consumers, retries and filters
/// stay, and every message in and out is recorded.
/// </summary>
public sealed class ServiceUnderHarness : IAsyncDisposable
{
    private readonly IHost _host;

    private ServiceUnderHarness(IHost host)
    {
        _host = host;
        Harness = host.Services.GetRequiredService<ITestHarness>();
    }

    public ITestHarness Harness { get; }

    public IServiceProvider Services => _host.Services;

    public static async Task<ServiceUnderHarness> StartAsync(ServersFixture fixture, string applicationName, Action<IHostApplicationBuilder> compose,
        params string[] databases)
    {
        var ct = TestContext.Current.CancellationToken;
        var (prefix, redisDb) = fixture.NextIsolation(applicationName.Split('.')[^1].ToLowerInvariant());
        var settings = new Dictionary<string, string?>
        {
            // Only the queue-depth gauge and the replay endpoint reach the broker; the bus itself is the harness's.
            ["ConnectionStrings:messaging"] = await fixture.Servers.CreateVirtualHostAsync(prefix, ct),
            ["ConnectionStrings:cache"] = $"{fixture.Servers.Cache},defaultDatabase={redisDb}",
        };
        foreach (var database in databases)
        {
            settings[$"ConnectionStrings:{database}"] = await fixture.Servers.CreateDatabaseAsync($"{prefix}_{database}", ct);
        }

        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ApplicationName = applicationName, DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Logging.ClearProviders().SetMinimumLevel(LogLevel.Warning);
        builder.AddServiceDefaults();
        compose(builder);
        builder.Services.AddMassTransitTestHarness();
        var host = builder.Build();
        await host.StartAsync(ct);
        var service = new ServiceUnderHarness(host);
        await service.Harness.Start();
        return service;
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync(CancellationToken.None);
        _host.Dispose();
    }
}
