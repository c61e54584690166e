using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;

namespace ContextPush.IntegrationTests;

/// <summary>The console output of an application's resources in one file, each line prefixed with its resource, as the dashboard shows it.</summary>
public sealed class ResourceLogFile : IAsyncDisposable
{
    private readonly StreamWriter _writer;
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _followers = [];

    public ResourceLogFile(string path)
    {
        Path = path;
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        _writer = new StreamWriter(path) { AutoFlush = true };
    }

    public string Path { get; }

    public void Follow(DistributedApplication app, IEnumerable<IResource> resources)
    {
        var logs = app.Services.GetRequiredService<ResourceLoggerService>();
        foreach (var resource in resources)
        {
            _followers.Add(Task.Run(async () =>
            {
                try
                {
                    await foreach (var batch in logs.WatchAsync(resource).WithCancellation(_stop.Token))
                    {
                        lock (_gate)
                        {
                            foreach (var line in batch)
                            {
                                _writer.WriteLine($"[{resource.Name}] {line.Content}");
                            }
                        }
                    }
                }
                catch (OperationCanceledException)
                {
                    // The test is over.
                }
            }));
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_followers);
        await _writer.DisposeAsync();
        _stop.Dispose();
    }
}
