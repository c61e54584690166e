using System.Globalization;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;

namespace ContextPush.Testing.Servers;

/// <summary>
/// Waits for a test's servers to become healthy. Aspire's own error says only that a server
/// "failed to start"; in a CI run that is all anyone gets to read, so the error carries the end
/// of the server's console output, where it says why (a port in use, a refused data folder).
/// </summary>
public static class ServerStart
{
    private const int TailLines = 40;

    public static async Task WaitHealthyAsync(DistributedApplication app, IEnumerable<string> servers, CancellationToken ct)
    {
        foreach (var server in servers)
        {
            try
            {
                await app.ResourceNotifications.WaitForResourceHealthyAsync(server, ct);
            }
            catch (DistributedApplicationException e)
            {
                // A server that waited on a helper (RabbitMQ on its epmd) failed because the helper did.
                var failed = app.Services.GetRequiredService<DistributedApplicationModel>().Resources
                    .Where(r => r.Name == server || (r.Name.StartsWith(server + "-", StringComparison.Ordinal) && HasEnded(app, r.Name)));
                var report = new System.Text.StringBuilder($"The test server '{server}' did not start.");
                foreach (var resource in failed)
                {
                    report.AppendLine().Append($"--- {resource.Name}: {StateOf(app, resource.Name)}; the last lines it wrote:").AppendLine()
                        .Append(await TailAsync(app, resource));
                }

                throw new InvalidOperationException(report.ToString(), e);
            }
        }
    }

    private static bool HasEnded(DistributedApplication app, string name) =>
        app.ResourceNotifications.TryGetCurrentState(name, out var current)
        && (KnownResourceStates.TerminalStates.Contains(current.Snapshot.State?.Text) || current.Snapshot.ExitCode is not null);

    private static string StateOf(DistributedApplication app, string name) =>
        app.ResourceNotifications.TryGetCurrentState(name, out var current)
            ? $"{current.Snapshot.State?.Text ?? "no state"}, exit code {current.Snapshot.ExitCode?.ToString(CultureInfo.InvariantCulture) ?? "none"}"
            : "never seen";

    private static async Task<string> TailAsync(DistributedApplication app, IResource server)
    {
        var lines = new Queue<string>();
        using var reading = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            var logs = app.Services.GetRequiredService<ResourceLoggerService>();
            await foreach (var batch in logs.GetAllAsync(server).WithCancellation(reading.Token))
            {
                foreach (var line in batch)
                {
                    lines.Enqueue(line.Content);
                    if (lines.Count > TailLines)
                    {
                        lines.Dequeue();
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
            lines.Enqueue("(its output could not be read in full within 10 s)");
        }

        return lines.Count == 0 ? "(nothing)" : string.Join(Environment.NewLine, lines);
    }
}
