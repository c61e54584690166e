using System.Diagnostics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ContextPush.ServiceDefaults;

/// <summary>
/// Ends the service with exit code 1 for the platform to start it afresh, as a failed liveness probe would, when it
/// holds something it cannot recover in-process (a bus whose stop never ends). The graceful stop that follows can
/// hang on the same thing, so once <see cref="Limit"/> has passed the process ends at once.
/// </summary>
public class ServiceExit(IHostApplicationLifetime lifetime, ILogger<ServiceExit> logger)
{
    /// <summary>How long the graceful stop may take before the process is ended without it.</summary>
    public TimeSpan Limit { get; init; } = TimeSpan.FromSeconds(60);

    public void Fail(string reason)
    {
        logger.LogCritical("{Reason}: stopping the service with exit code 1 so that the platform starts it afresh", reason);
        StopWithFailure(reason);
        _ = Task.Run(async () =>
        {
            await Task.Delay(Limit);
            logger.LogCritical("The service did not stop within {Limit} of giving up; ending its process", Limit);
            EndProcess();
        });
    }

    protected virtual void StopWithFailure(string reason)
    {
        Environment.ExitCode = 1;
        lifetime.StopApplication();
    }

    /// <summary>SIGKILL to itself: Environment.Exit would wait on the host's own exit handler, which waits on the hung stop.</summary>
    protected virtual void EndProcess()
    {
        using var self = Process.GetCurrentProcess();
        self.Kill();
    }
}
