using System.Collections.Concurrent;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;

namespace ContextPush.EndToEndTests;

/// <summary>
/// The console output of an application's services in one file, each line prefixed with its
/// resource, as the dashboard shows it. Each instance is followed by the id the orchestrator gives
/// it, which exists only once the application starts, so instances are picked up as they appear.
/// </summary>
public sealed class ResourceLogFile : IAsyncDisposable
{
    private readonly StreamWriter _writer;
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<string, Task> _followers = new();
    private Task _watching = Task.CompletedTask;

    public ResourceLogFile(string path)
    {
        Path = path;
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        _writer = new StreamWriter(path) { AutoFlush = true };
    }

    public string Path { get; }

    public void Follow(DistributedApplication app)
    {
        var logs = app.Services.GetRequiredService<ResourceLoggerService>();
        _watching = Task.Run(async () =>
        {
            try
            {
                await foreach (var change in app.ResourceNotifications.WatchAsync(_stop.Token))
                {
                    if (change.Resource is ProjectResource && !_followers.ContainsKey(change.ResourceId))
                    {
                        _followers[change.ResourceId] = FollowAsync(logs, change.Resource.Name, change.ResourceId);
                    }
                }
            }
            catch (OperationCanceledException)
            {
                // The test is over.
            }
        });
    }

    private async Task FollowAsync(ResourceLoggerService logs, string name, string instance)
    {
        try
        {
            await foreach (var batch in logs.WatchAsync(instance).WithCancellation(_stop.Token))
            {
                lock (_gate)
                {
                    foreach (var line in batch)
                    {
                        _writer.WriteLine($"[{name}] {line.Content}");
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The test is over.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _watching;
        await Task.WhenAll(_followers.Values);
        await _writer.DisposeAsync();
        _stop.Dispose();
    }
}
