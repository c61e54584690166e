using System.Diagnostics.Metrics;
using ContextPush.Assembler.Context;
using ContextPush.Contracts;
using ContextPush.Testing.Fakes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ContextPush.ComponentTests.Assembler;

/// <summary>
/// The Assembler's composition (sources, Refit clients, resilience, cache, wording) in the test's
/// process, against the shared Redis and fakes of HubSpot, Salesforce, Zendesk and Slack. Resilience
/// timings are shortened through configuration, as a deployment would tune them.
/// </summary>
public sealed class AssemblerTestBed : IAsyncDisposable
{
    private readonly IHost host;
    private readonly MeterListener listener = new();

    private AssemblerTestBed(IHost host, FakeHubSpot hubSpot, FakeSalesforce salesforce, FakeZendesk zendesk, FakeSlack slack)
    {
        this.host = host;
        HubSpot = hubSpot;
        Salesforce = salesforce;
        Zendesk = zendesk;
        Slack = slack;
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Name == "contextpush.assembler.degraded")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            var t = tags.ToArray().ToDictionary(x => x.Key, x => (string?)x.Value);
            lock (Degraded)
            {
                Degraded.Add((t["push"]!, t["source"]!, t["reason"]!));
            }
        });
        listener.Start();
    }

    public FakeHubSpot HubSpot { get; }

    public FakeSalesforce Salesforce { get; }

    public FakeZendesk Zendesk { get; }

    public FakeSlack Slack { get; }

    /// <summary>Every contextpush.assembler.degraded measurement: push, source, reason.</summary>
    public List<(string Push, string Source, string Reason)> Degraded { get; } = [];

    public ContextAssembler Assembler => host.Services.GetRequiredService<ContextAssembler>();

    /// <summary>A bed on the shared servers; <paramref name="warehouse"/> replaces the warehouse's connection string, of <paramref name="engine"/>.</summary>
    public static async Task<AssemblerTestBed> StartAsync(ServersFixture fixture, string name, string? warehouse = null, string? engine = null)
    {
        var (_, redisDb) = fixture.NextIsolation(name);
        var hubSpot = await FakeHubSpot.StartAsync();
        var salesforce = await FakeSalesforce.StartAsync();
        var zendesk = await FakeZendesk.StartAsync();
        var slack = await FakeSlack.StartAsync("xoxb-test-" + Guid.NewGuid().ToString("N"));

        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ApplicationName = "ContextPush.Assembler", DisableDefaults = true });
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:cache"] = $"{fixture.Servers.Cache},defaultDatabase={redisDb}",
            ["ConnectionStrings:warehouse"] = warehouse ?? fixture.Servers.Postgres,
            ["Assembler:WarehouseEngine"] = engine,
            ["Assembler:HubSpot:BaseUrl"] = hubSpot.BaseUrl.ToString(),
            ["Assembler:HubSpot:AccessToken"] = hubSpot.Token,
            ["Assembler:HubSpot:PortalId"] = "4711",
            ["Assembler:Salesforce:InstanceUrl"] = salesforce.InstanceUrl.ToString(),
            ["Assembler:Salesforce:AccessToken"] = salesforce.Token,
            ["Assembler:Zendesk:BaseUrl"] = zendesk.BaseUrl.ToString(),
            ["Assembler:Zendesk:Email"] = zendesk.Email,
            ["Assembler:Zendesk:ApiToken"] = zendesk.Token,
            ["Assembler:Slack:BaseUrl"] = slack.BaseUrl.ToString(),
            ["Assembler:Slack:BotToken"] = slack.Token,
            ["HttpResilience:AttemptTimeout:Timeout"] = "00:00:01",
            ["HttpResilience:TotalRequestTimeout:Timeout"] = "00:00:15",
            ["HttpResilience:Retry:Delay"] = "00:00:00.100",
            ["HttpResilience:Retry:MaxRetryAttempts"] = "3",
            ["HttpResilience:CircuitBreaker:SamplingDuration"] = "00:00:30",
        });
        builder.AddServiceDefaults();
        builder.AddRedisClient("cache");
        builder.AddAssembling();
        var host = builder.Build();
        await host.StartAsync();
        return new AssemblerTestBed(host, hubSpot, salesforce, zendesk, slack);
    }

    public Task<AssembledContext> AssembleAsync(DeltaDetected delta) => Assembler.AssembleAsync(delta, TestContext.Current.CancellationToken);

    public static DeltaDetected Delta(string key, params (string Name, string Value)[] context) =>
        TestMessages.Delta("crm-push", key, settings: context.ToDictionary(c => $"context:{c.Name}", c => c.Value));

    public async ValueTask DisposeAsync()
    {
        listener.Dispose();
        await host.StopAsync();
        host.Dispose();
        await HubSpot.DisposeAsync();
        await Salesforce.DisposeAsync();
        await Zendesk.DisposeAsync();
        await Slack.DisposeAsync();
    }
}
