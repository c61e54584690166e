using System.Diagnostics;

namespace ContextPush.LocalServers;

internal static class Readiness
{
    /// <summary>Polls <paramref name="probe"/> until it succeeds, failing with the server's log if it dies or times out.</summary>
    public static async Task WaitAsync(string name, Process process, string logFile, TimeSpan timeout,
        Func<CancellationToken, Task<bool>> probe, CancellationToken ct)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < timeout)
        {
            ct.ThrowIfCancellationRequested();
            if (process.HasExited)
            {
                throw new InvalidOperationException($"{name} exited with code {process.ExitCode} while starting:\n{Tail(logFile)}");
            }

            if (await probe(ct))
            {
                return;
            }

            await Task.Delay(100, ct);
        }

        throw new TimeoutException($"{name} did not accept connections within {timeout.TotalSeconds:0}s:\n{Tail(logFile)}");
    }

    public static string Tail(string logFile)
    {
        try
        {
            return string.Join('\n', File.ReadLines(logFile).TakeLast(30));
        }
        catch (IOException)
        {
            return "(no log)";
        }
    }
}
