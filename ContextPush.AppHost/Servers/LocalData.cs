using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace ContextPush.AppHost.Servers;

/// <summary>
/// One throw-away folder per application model for its servers' data, under the temp folder and
/// named after this process. It is removed when the application stops; a folder left by a process
/// that was killed is removed by the next one that starts servers.
/// </summary>
internal static class LocalData
{
    private const string Prefix = "contextpush-";
    private static readonly ConditionalWeakTable<IDistributedApplicationBuilder, string> Roots = new();

    /// <summary>A sub-folder of this model's data folder for one server, created on first use.</summary>
    public static string For(IDistributedApplicationBuilder builder, string server)
    {
        var root = Roots.GetValue(builder, b =>
        {
            var created = Create();
            b.Services.AddSingleton<IHostedService>(sp => new Cleanup(sp.GetRequiredService<IHostApplicationLifetime>(), created));
            return created;
        });
        var path = Path.Combine(root, server);
        Directory.CreateDirectory(path);
        return path;
    }

    private static string Create()
    {
        RemoveOrphans();
        var name = string.Create(CultureInfo.InvariantCulture, $"{Prefix}{Environment.ProcessId}-{Guid.NewGuid():N}");
        var path = Path.Combine(Path.GetTempPath(), name[..(name.IndexOf('-', Prefix.Length) + 9)]);
        Directory.CreateDirectory(path);
        return path;
    }

    private static void RemoveOrphans()
    {
        foreach (var folder in Directory.EnumerateDirectories(Path.GetTempPath(), Prefix + "*"))
        {
            var name = Path.GetFileName(folder)[Prefix.Length..];
            if (int.TryParse(name.Split('-')[0], NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && !IsRunning(pid))
            {
                DeleteQuietly(folder);
            }
        }
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static void DeleteQuietly(string path)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                if (Directory.Exists(path))
                {
                    Directory.Delete(path, recursive: true);
                }

                return;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                if (attempt == 5)
                {
                    return;
                }

                // A server that just exited may still be closing files in it.
                Thread.Sleep(200);
            }
        }
    }

    /// <summary>
    /// Deletes the folder once the application has stopped, which is after the orchestrator stopped the
    /// servers, or when it is disposed without a stop (as a test may do).
    /// </summary>
    private sealed class Cleanup(IHostApplicationLifetime lifetime, string root) : IHostedService, IDisposable
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            lifetime.ApplicationStopped.Register(() => DeleteQuietly(root));
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public void Dispose() => DeleteQuietly(root);
    }
}
