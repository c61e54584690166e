using System.Collections.Concurrent;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ContextPush.EndToEndTests;

/// <summary>
/// Every state change of an application's resources in the order the orchestrator published them,
/// from before it started. Order, not time: the orchestrator's timestamps are cut to whole seconds.
/// </summary>
public sealed class ResourceTimeline : IAsyncDisposable
{
    private readonly ConcurrentQueue<(string Resource, CustomResourceSnapshot Snapshot)> _events = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _watching;

    public ResourceTimeline(DistributedApplication app) => _watching = Task.Run(async () =>
    {
        try
        {
            await foreach (var change in app.ResourceNotifications.WatchAsync(_stop.Token))
            {
                _events.Enqueue((change.Resource.Name, change.Snapshot));
            }
        }
        catch (OperationCanceledException)
        {
            // Stopped with the test.
        }
    });

    /// <summary>The position of the first change that reported the resource healthy; -1 if none did.</summary>
    public int FirstHealthy(string resource) => IndexOf(e => e.Resource == resource && e.Snapshot.HealthStatus == HealthStatus.Healthy);

    /// <summary>The position of the first change that shows the resource's process started; -1 if none does.</summary>
    public int Started(string resource) => IndexOf(e => e.Resource == resource && e.Snapshot.StartTimeStamp is not null);

    private int IndexOf(Func<(string Resource, CustomResourceSnapshot Snapshot), bool> match) =>
        _events.Select((e, i) => (e, i)).FirstOrDefault(x => match(x.e), (default, -1)).Item2;

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _watching;
        _stop.Dispose();
    }
}
