using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text.Json;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;

namespace ContextPush.Bench.Pipeline;

/// <summary>
/// The AppHost's own model (its five services as separate processes, in the configuration the benchmark
/// was built in) on the benchmark's servers, with the Dispatcher posting to the Slack stand-in.
/// </summary>
internal sealed class BenchSystem : IAsyncDisposable
{
    public static readonly string[] Services = ["callbacks", "dispatcher", "throttler", "assembler", "detector"];

    public static readonly string[] QuietLogging =
    [
        "--Logging:LogLevel:Default=Warning",
        "--Logging:LogLevel:ContextPush.AppHost.Resources=None",
        "--Logging:LogLevel:Microsoft.Extensions.Diagnostics.HealthChecks=None",
        "--Logging:LogLevel:Polly=Warning",
    ];

    private readonly ConcurrentDictionary<string, string> _serviceOf = new();
    private readonly CancellationTokenSource _stop = new();
    private Task _watching = Task.CompletedTask;
    private string _pushFolder = "";

    public DistributedApplication App { get; private set; } = null!;

    public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromMinutes(5) };

    public static async Task<BenchSystem> StartAsync(BenchServers servers, SlackStandIn slack, int accounts,
        IReadOnlyDictionary<string, string> pushes, IReadOnlyDictionary<string, int> replicas, IReadOnlyDictionary<string, string> settings)
    {
        var system = new BenchSystem { _pushFolder = Directory.CreateTempSubdirectory("contextpush-bench-pushes-").FullName };
        foreach (var (id, content) in pushes)
        {
            await File.WriteAllTextAsync(Path.Combine(system._pushFolder, $"{id}.yaml"), content);
        }

        string[] args =
        [
            .. QuietLogging,
            "--accounts", accounts.ToString(System.Globalization.CultureInfo.InvariantCulture),
            .. replicas.SelectMany(r => new[] { "--replicas", $"{r.Key}={r.Value}" }),
            // The benchmark's servers, so the AppHost starts none of its own and creates its databases there.
            .. servers.ConnectionStrings.Select(c => $"--ConnectionStrings:{c.Key}={c.Value}"),
        ];
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.ContextPush_AppHost>(
            new DistributedApplicationTestingBuilderOptions { EnableDashboard = false }, args);
        Service(builder, "detector")
            .WithEnvironment("Detector__PushesPath", system._pushFolder)
            .WithEnvironment("Detector__SchedulesEnabled", "false");
        Service(builder, "dispatcher")
            .WithEnvironment("Dispatcher__Slack__BaseUrl", slack.BaseUrl.ToString())
            .WithEnvironment("Dispatcher__Slack__BotToken", slack.Token)
            // Slack's own pace (one card a second per channel) is not what is measured: one channel takes the whole stream.
            .WithEnvironment("Dispatcher__Slack__MessagesPerSecondPerChannel", "100000");
        Service(builder, "assembler")
            .WithEnvironment("Assembler__Slack__BaseUrl", slack.BaseUrl.ToString())
            .WithEnvironment("Assembler__Slack__BotToken", slack.Token);
        foreach (var service in Services)
        {
            var resource = Service(builder, service);
            foreach (var (key, value) in settings)
            {
                resource.WithEnvironment(key, value);
            }
        }

        system.App = await builder.BuildAsync();
        system._watching = system.WatchReplicasAsync();
        using var starting = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await system.App.StartAsync(starting.Token);
        foreach (var service in Services)
        {
            await system.App.ResourceNotifications.WaitForResourceHealthyAsync(service, starting.Token);
        }

        return system;
    }

    private static IResourceBuilder<ProjectResource> Service(IDistributedApplicationTestingBuilder builder, string name) =>
        builder.CreateResourceBuilder(builder.Resources.OfType<ProjectResource>().Single(r => r.Name == name));

    /// <summary>The orchestrator names each replica (assembler-x2f9ab1c); its events say whose it is.</summary>
    private Task WatchReplicasAsync() => Task.Run(async () =>
    {
        try
        {
            await foreach (var change in App.ResourceNotifications.WatchAsync(_stop.Token))
            {
                _serviceOf.TryAdd(change.ResourceId, change.Resource.Name);
            }
        }
        catch (OperationCanceledException)
        {
            // Stopped with the benchmark.
        }
    });

    /// <summary>The processes running a service's assembly, one per replica (not the launchers around them).</summary>
    public IReadOnlyList<int> Processes(string service)
    {
        var assembly = "ContextPush." + char.ToUpperInvariant(service[0]) + service[1..];
        return [.. _serviceOf.Where(i => i.Value == service).Select(i => App.ResourceNotifications.ProcessIdOf(i.Key))
            .SelectMany(pid => ProcessUsage.Descendants(pid).Prepend(pid))
            .Where(pid => ProcessUsage.CommandLine(pid) is var line && line.Contains(assembly, StringComparison.Ordinal)
                && !line.Contains(".csproj", StringComparison.Ordinal))]; // not `dotnet run --project …csproj` around it
    }

    public Uri Url(string service) => App.GetEndpoint(service, "http");

    /// <summary>Starts a run of the push and answers when it ended, with the Detector's account of it.</summary>
    public async Task<JsonElement> RunAsync(string push)
    {
        using var response = await Http.PostAsync(new Uri(Url("detector"), $"/pushes/{push}/runs?wait=true"), null);
        var run = await response.Content.ReadFromJsonAsync<JsonElement>();
        if (!response.IsSuccessStatusCode || run.GetProperty("status").GetString() != "succeeded")
        {
            throw new InvalidOperationException($"the run of {push} did not succeed: {run}");
        }

        return run;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _watching;
        await App.StopAsync();
        await App.DisposeAsync();
        Http.Dispose();
        Directory.Delete(_pushFolder, recursive: true);
    }
}
