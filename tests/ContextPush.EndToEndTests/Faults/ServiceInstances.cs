using System.Collections.Concurrent;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using ContextPush.Testing.Servers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ContextPush.EndToEndTests.Faults;

/// <summary>
/// The processes of each service's replicas as the orchestrator runs them: signalled as the kernel or
/// a node drain would, and started again as Kubernetes restarts a pod (Aspire itself does not): by the
/// scenario after its own signal, and here when a replica ends with a failure by itself (a service
/// gives up on what it cannot recover in-process and exits 1 for its platform to start it afresh).
/// </summary>
public sealed class ServiceInstances : IAsyncDisposable
{
    private readonly DistributedApplication _app;
    private readonly ConcurrentDictionary<string, string> _serviceOf = new();
    private readonly ConcurrentDictionary<string, byte> _signalled = new();
    private readonly ConcurrentDictionary<string, Task> _restarting = new();
    private readonly ConcurrentQueue<SelfRestart> _selfRestarts = new();
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
                    if (change.Resource is ProjectResource && change.Snapshot.State?.Text is "Exited" or "Finished"
                        && change.Snapshot.ExitCode is { } code && code != 0 && !_signalled.ContainsKey(change.ResourceId)
                        && (!_restarting.TryGetValue(change.ResourceId, out var earlier) || earlier.IsCompleted))
                    {
                        var instance = change.ResourceId;
                        _restarting[instance] = Task.Run(() => RestartAfterFailureAsync(instance, code));
                    }
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

    /// <summary>The replicas that ended with a failure by themselves and were started again, in order.</summary>
    public IReadOnlyList<SelfRestart> SelfRestarts => [.. _selfRestarts];

    private async Task RestartAfterFailureAsync(string instance, int exitCode)
    {
        var service = _serviceOf.GetValueOrDefault(instance, instance);
        try
        {
            await StartCoreAsync(instance, _stop.Token);
            _selfRestarts.Enqueue(new SelfRestart(instance, service, exitCode, DateTimeOffset.UtcNow, Failure: null));
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // The suite is over.
        }
        catch (Exception e)
        {
            // Reported with the scenario, whose own checks then fail with what is missing.
            _selfRestarts.Enqueue(new SelfRestart(instance, service, exitCode, DateTimeOffset.UtcNow, Failure: e.Message));
        }
    }

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
        _signalled[instance] = 0; // the scenario starts it again itself
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
        if (_restarting.TryGetValue(instance, out var restarting))
        {
            await restarting; // already being started after a failure of its own
        }

        await StartCoreAsync(instance, TestContext.Current.CancellationToken);
    }

    private async Task StartCoreAsync(string instance, CancellationToken ct)
    {
        var commands = _app.Services.GetRequiredService<ResourceCommandService>();
        if (!Notifications.TryGetCurrentState(instance, out var state) || state.Snapshot.State?.Text != "Running")
        {
            var result = await commands.ExecuteCommandAsync(instance, KnownResourceCommands.StartCommand, ct);
            Assert.True(result.Success, $"{instance} did not start: {result.Message}");
        }

        await Eventually.UntilAsync($"{instance} healthy again", () => Task.FromResult(
            Notifications.TryGetCurrentState(instance, out var s) && s.Snapshot.State?.Text == "Running"
            && s.Snapshot.HealthStatus == HealthStatus.Healthy), TimeSpan.FromSeconds(90));
        _signalled.TryRemove(instance, out _);
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
        await Task.WhenAll(_restarting.Values);
        _stop.Dispose();
    }
}

/// <summary>A replica that ended with <paramref name="ExitCode"/> by itself and was healthy again at <paramref name="At"/>, unless its start failed.</summary>
public sealed record SelfRestart(string Instance, string Service, int ExitCode, DateTimeOffset At, string? Failure)
{
    public override string ToString() => Failure is null
        ? $"{Instance} exited {ExitCode} by itself and was started again"
        : $"{Instance} exited {ExitCode} by itself and did not start again: {Failure}";
}
