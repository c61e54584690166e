using System.Collections.Concurrent;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using ContextPush.Testing.Servers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ContextPush.EndToEndTests.Faults;

/// <summary>
/// The processes of each service's replicas as the orchestrator runs them: signalled as the kernel or
/// a node drain would, and started again as Kubernetes restarts a pod (Aspire itself does not).
/// </summary>
public sealed class ServiceInstances : IAsyncDisposable
{
    private readonly DistributedApplication _app;
    private readonly ConcurrentDictionary<string, string> _serviceOf = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _watching;

    public ServiceInstances(DistributedApplication app)
    {
        _app = app;
        // The orchestrator names each replica (dispatcher-x2f9ab1c); its events name the replica and its service.
        _watching = Task.Run(async () =>
        {
            try
            {
                await foreach (var change in app.ResourceNotifications.WatchAsync(_stop.Token))
                {
                    _serviceOf.TryAdd(change.ResourceId, change.Resource.Name);
                }
            }
            catch (OperationCanceledException)
            {
                // Stopped with the suite.
            }
        });
    }

    private ResourceNotificationService Notifications => _app.Services.GetRequiredService<ResourceNotificationService>();

    /// <summary>The orchestrator's names of a service's replicas, in a stable order.</summary>
    public IReadOnlyList<string> Of(string service)
    {
        var expected = _app.Services.GetRequiredService<DistributedApplicationModel>().Resources.Single(r => r.Name == service)
            .Annotations.OfType<ReplicaAnnotation>().SingleOrDefault()?.Replicas ?? 1;
        SpinWait.SpinUntil(() => _serviceOf.Count(i => i.Value == service) >= expected, TimeSpan.FromSeconds(10));
        return [.. _serviceOf.Where(i => i.Value == service).Select(i => i.Key).Order(StringComparer.Ordinal)];
    }

    public int ProcessId(string instance) => Notifications.ProcessIdOf(instance);

    /// <summary>
    /// Sends <paramref name="signal"/> to the service's own process (the one running its assembly, under any
    /// launcher) and waits until it is gone; answers the exit code the orchestrator saw.
    /// </summary>
    public async Task<int?> SignalAsync(string instance, int signal, TimeSpan patience)
    {
        var launched = ProcessId(instance);
        var service = ProcessTree.Descendants(launched).Prepend(launched)
            .Where(pid => ProcessTree.CommandLine(pid).Contains("ContextPush.", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(service);
        service.ForEach(pid => ProcessTree.Signal(pid, signal));
        await Eventually.UntilAsync($"{instance} gone after signal {signal}",
            () => Task.FromResult(!ProcessTree.IsAlive(launched) && service.All(pid => !ProcessTree.IsAlive(pid))), patience);
        var exited = await Eventually.GetAsync($"the orchestrator seeing {instance} exit",
            () => Task.FromResult(Notifications.TryGetCurrentState(instance, out var s) ? s.Snapshot : null),
            s => s?.State?.Text is "Exited" or "Finished" or "FailedToStart");
        return exited!.ExitCode;
    }

    /// <summary>Starts a replica that exited and answers once it is healthy again.</summary>
    public async Task StartAsync(string instance)
    {
        var commands = _app.Services.GetRequiredService<ResourceCommandService>();
        var result = await commands.ExecuteCommandAsync(instance, KnownResourceCommands.StartCommand, TestContext.Current.CancellationToken);
        Assert.True(result.Success, $"{instance} did not start: {result.Message}");
        await Eventually.UntilAsync($"{instance} healthy again", () => Task.FromResult(
            Notifications.TryGetCurrentState(instance, out var s) && s.Snapshot.State?.Text == "Running"
            && s.Snapshot.HealthStatus == HealthStatus.Healthy), TimeSpan.FromSeconds(90));
    }

    /// <summary>Every replica of every service running and healthy, restarting any a failed scenario left down.</summary>
    public async Task EnsureRunningAsync(IEnumerable<string> services)
    {
        foreach (var instance in services.SelectMany(Of))
        {
            if (!Notifications.TryGetCurrentState(instance, out var s) || s.Snapshot.State?.Text != "Running")
            {
                await StartAsync(instance);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _watching;
        _stop.Dispose();
    }
}
