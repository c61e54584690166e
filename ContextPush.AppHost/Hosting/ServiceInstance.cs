using System.Diagnostics;
using System.Globalization;
using ContextPush.LocalServers;

namespace ContextPush.AppHost.Hosting;

/// <summary>
/// One running process of a project: its output prefixed with its name (the stand-in for the
/// dashboard's console logs), restarted with backoff when it crashes, stopped gracefully.
/// </summary>
public sealed class ServiceInstance : IAsyncDisposable
{
    private static readonly TimeSpan[] Backoff = [TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(30)];

    private readonly string _assembly;
    private readonly IReadOnlyDictionary<string, string> _environment;
    private readonly ConsoleLog _log;
    private readonly CancellationTokenSource _stopping = new();
    private Process? _process;
    private Task? _supervisor;

    public ServiceInstance(string name, string assembly, int port, IReadOnlyDictionary<string, string> environment, ConsoleLog log)
    {
        Name = name;
        _assembly = assembly;
        Port = port;
        _environment = environment;
        _log = log;
    }

    /// <summary>The resource name, with the replica number for replicas beyond the first.</summary>
    public string Name { get; }

    public int Port { get; }

    public Uri Url => new($"http://127.0.0.1:{Port}");

    public int? ProcessId
    {
        get
        {
            try
            {
                return _process is { HasExited: false } p ? p.Id : null;
            }
            catch (InvalidOperationException)
            {
                // Read while a restart swapped the process: there is no live one at this instant.
                return null;
            }
        }
    }

    public int Restarts { get; private set; }

    /// <summary>"Starting", "Running", "Restarting", "Exited" or "Stopped".</summary>
    public string State { get; private set; } = "Starting";

    public IReadOnlyDictionary<string, string> Environment => _environment;

    public void Start()
    {
        _process = Launch();
        _supervisor = SuperviseAsync();
    }

    /// <summary>Waits until the health endpoint answers 200, failing fast when the process exits.</summary>
    public async Task WaitHealthyAsync(string path, TimeSpan timeout, CancellationToken ct)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            ct.ThrowIfCancellationRequested();
            if (_process is { HasExited: true } && State != "Restarting")
            {
                throw new InvalidOperationException($"{Name} exited with code {_process.ExitCode} before it was healthy; see its output above.");
            }

            try
            {
                using var response = await http.GetAsync(new Uri(Url, path), ct);
                if (response.IsSuccessStatusCode)
                {
                    State = "Running";
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException) when (!ct.IsCancellationRequested)
            {
                // One slow probe; try again.
            }

            await Task.Delay(200, ct);
        }

        throw new TimeoutException($"{Name} was not healthy at {new Uri(Url, path)} within {timeout.TotalSeconds:0}s.");
    }

    /// <summary>From here on an exit is expected: no restart. Called as soon as a stop is requested.</summary>
    public void BeginStop() => _stopping.Cancel();

    /// <summary>Kills the process as a crash would (tests use it to check the restart).</summary>
    public void Kill() => _process?.Kill(entireProcessTree: true);

    private Process Launch()
    {
        // Its own session, so a terminal's Ctrl+C reaches the AppHost alone and it stops services in order.
        var psi = new ProcessStartInfo("setsid")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(_assembly)!,
        };
        psi.ArgumentList.Add("dotnet");
        psi.ArgumentList.Add(_assembly);
        foreach (var (key, value) in _environment)
        {
            psi.Environment[key] = value;
        }

        var process = new Process { StartInfo = psi, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) _log.Write(Name, e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) _log.Write(Name, e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private async Task SuperviseAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            try
            {
                await _process!.WaitForExitAsync(_stopping.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            if (_process.ExitCode == 0 || _stopping.IsCancellationRequested)
            {
                // A clean exit is a stop (Ctrl+C reaches the whole process group), not a crash.
                State = "Exited";
                return;
            }

            var delay = Backoff[Math.Min(Restarts, Backoff.Length - 1)];
            State = "Restarting";
            _log.Write(Name, string.Create(CultureInfo.InvariantCulture,
                $"*** exited with code {_process.ExitCode}; restarting in {delay.TotalSeconds:0}s (restart {Restarts + 1})"));
            try
            {
                await Task.Delay(delay, _stopping.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            var crashed = _process;
            Restarts++;
            _process = Launch();
            State = "Running";
            crashed.Dispose();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stopping.IsCancellationRequested)
        {
            await _stopping.CancelAsync();
        }

        if (_supervisor is not null)
        {
            await _supervisor;
        }

        if (_process is { HasExited: false } process)
        {
            // SIGTERM lets the host stop the bus and finish in-flight messages.
            ServerProcesses.Signal(process.Id, ServerProcesses.SigTerm);
            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try
            {
                await process.WaitForExitAsync(grace.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }
        }

        _process?.Dispose();
        State = "Stopped";
        _stopping.Dispose();
    }
}
