using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using ContextPush.EndToEndTests.Browser;
using ContextPush.EndToEndTests.Dashboard;
using ContextPush.Testing.Servers;

namespace ContextPush.EndToEndTests.AppHost;

/// <summary>
/// A developer's session, as the README has it: `dotnet run --project ContextPush.AppHost` starts its
/// own servers and the five services, shows them in Aspire's dashboard and delivers the demo's first
/// cards; SIGTERM to the AppHost leaves nothing running.
/// </summary>
public sealed partial class AppHostSessionTests
{
    /// <summary>The AppHost's process name as /proc shows it: cut to 15 characters.</summary>
    private const string AppHostCommandName = "ContextPush.App";

    private static readonly string[] Resources =
    [
        "messaging", "messaging-epmd", "postgres", "cache", "warehouse", "detectordb", "throttlerdb", "dispatcherdb", "callbacksdb",
        "callbacks", "dispatcher", "throttler", "assembler", "detector",
    ];

    [Fact]
    public async Task Dotnet_run_shows_every_resource_running_in_the_dashboard_delivers_cards_and_SIGTERM_leaves_no_process_behind()
    {
        var ct = TestContext.Current.CancellationToken;
        using var session = Start();
        var output = new List<string>();
        var dashboardAt = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        void Read(string? line)
        {
            if (line is null)
            {
                return;
            }

            lock (output)
            {
                output.Add(line);
            }

            if (DashboardLine().Match(line) is { Success: true } match)
            {
                dashboardAt.TrySetResult(new Uri(match.Groups[1].Value));
            }
        }

        session.OutputDataReceived += (_, e) => Read(e.Data);
        session.ErrorDataReceived += (_, e) => Read(e.Data);
        session.BeginOutputReadLine();
        session.BeginErrorReadLine();
        int? appHost = null;
        try
        {
            // A fresh machine installs RabbitMQ, PostgreSQL and Redis first.
            var dashboard = await dashboardAt.Task.WaitAsync(TimeSpan.FromMinutes(5), ct);
            appHost = ProcessTree.Descendants(session.Id).Single(pid => ProcessTree.CommandName(pid) == AppHostCommandName);
            using var http = new HttpClient();
            var telemetry = new DashboardTelemetry(dashboard, http);
            var screenshot = Path.Combine(AppContext.BaseDirectory, "test-artifacts", "dashboard-resources.png");
            Directory.CreateDirectory(Path.GetDirectoryName(screenshot)!);

            var page = await BrowserScript.RunAsync("dashboard-resources.mjs", dashboard.ToString(), screenshot, string.Join(',', Resources));
            var card = await telemetry.WaitForLogAsync("dispatcher", l => l.Body.StartsWith("Card for", StringComparison.Ordinal), "for a demo card");

            Assert.Contains("Recent cards", page); // the dispatcher's own page, linked from its resource
            Assert.Contains("churn risk", card.Body);
            var running = RunningProcesses(appHost.Value);
            Assert.Contains(running, p => p.Name == "beam.smp");
            Assert.Contains(running, p => p.Name == "epmd");
            Assert.Contains(running, p => p.Name == "postgres");
            Assert.Contains(running, p => p.Name == "redis-server");
            Assert.Equal(5, running.Count(p => p.Name.StartsWith("ContextPush.", StringComparison.Ordinal) && p.Name != AppHostCommandName));
            var ports = ServerPorts(running);

            ProcessTree.Signal(appHost.Value, ProcessTree.SigTerm);

            await Eventually.GetAsync("every process of the session gone after SIGTERM", () => Task.FromResult(running.Where(p => ProcessTree.IsAlive(p.Pid)).ToList()),
                alive => alive.Count == 0, TimeSpan.FromSeconds(60),
                alive => string.Join("; ", alive.Select(p => $"{p.Name} ({p.Pid}) left running: {ProcessTree.CommandLine(p.Pid)}")));
            foreach (var port in ports)
            {
                Assert.False(await AcceptsAsync(port), $"something still listens on 127.0.0.1:{port}");
            }

            Assert.True(session.WaitForExit(TimeSpan.FromSeconds(30)), "dotnet run did not exit after the AppHost stopped");
            Assert.Empty(Directory.EnumerateDirectories(Path.GetTempPath(), $"contextpush-{appHost}-*"));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            string log;
            lock (output)
            {
                log = string.Join('\n', output.TakeLast(80));
            }

            throw new Xunit.Sdk.XunitException($"{e.Message}\n--- dotnet run output ---\n{log}", e);
        }
        finally
        {
            if (!session.HasExited)
            {
                session.Kill(entireProcessTree: true);
            }
        }
    }

    /// <summary>The README's command, built already by the test run (the AppHost builds every service).</summary>
    private static Process Start()
    {
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Name; // artifacts/bin/<project>/<configuration>/
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = RepositoryRoot.Path,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in (string[])["run", "--project", "ContextPush.AppHost", "--no-build", "--configuration", configuration])
        {
            start.ArgumentList.Add(argument);
        }

        return Process.Start(start)!;
    }

    /// <summary>The AppHost's processes: its descendants and those of the orchestrator it started detached.</summary>
    private static List<(int Pid, string Name)> RunningProcesses(int appHost)
    {
        var monitor = $"--monitor {appHost.ToString(CultureInfo.InvariantCulture)}";
        var roots = ProcessTree.All().Where(pid => ProcessTree.CommandLine(pid).Contains(monitor, StringComparison.Ordinal)).Append(appHost);
        return roots.SelectMany(root => ProcessTree.Descendants(root).Prepend(root)).Distinct()
            .Select(pid => (pid, ProcessTree.CommandName(pid) ?? "")).ToList();
    }

    /// <summary>The loopback ports the servers listen on, read from their command lines: nothing may listen there after the stop.</summary>
    private static List<int> ServerPorts(IEnumerable<(int Pid, string Name)> processes) => processes
        .Select(p => ProcessTree.CommandLine(p.Pid))
        .SelectMany(line => PortArgument().Matches(line).Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)))
        .Distinct().ToList();

    private static async Task<bool> AcceptsAsync(int port)
    {
        using var client = new System.Net.Sockets.TcpClient();
        try
        {
            await client.ConnectAsync("127.0.0.1", port);
            return true;
        }
        catch (System.Net.Sockets.SocketException)
        {
            return false;
        }
    }

    [GeneratedRegex(@"Dashboard:\s+(http://\S+)")]
    private static partial Regex DashboardLine();

    [GeneratedRegex(@"(?:--port|-port|-p) (\d+)")]
    private static partial Regex PortArgument();
}
