using System.Diagnostics;
using System.Text;

namespace ContextPush.LocalServers;

/// <summary>The outcome of a short command: exit code and everything it printed.</summary>
public sealed record CommandResult(string Command, int ExitCode, string Output)
{
    public CommandResult ThrowIfFailed(string what)
    {
        if (ExitCode != 0)
        {
            throw new InvalidOperationException($"{what} failed (exit {ExitCode}): {Command}\n{Output}");
        }

        return this;
    }
}

/// <summary>Runs short commands to completion and starts long-running servers.</summary>
public static class ProcessRunner
{
    public static async Task<CommandResult> RunAsync(
        string fileName, IEnumerable<string> arguments, CancellationToken cancellationToken,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var psi = StartInfo(fileName, arguments, environment);
        using var process = new Process { StartInfo = psi };
        var output = new StringBuilder();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await process.WaitForExitAsync(cancellationToken);
        lock (output)
        {
            return new CommandResult($"{fileName} {string.Join(' ', psi.ArgumentList)}", process.ExitCode, output.ToString());
        }
    }

    /// <summary>Starts a server whose output goes to <paramref name="logFile"/>, so a failed start can show it.</summary>
    public static Process StartServer(string fileName, IEnumerable<string> arguments, string logFile,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var psi = StartInfo(fileName, arguments, environment);
        var process = new Process { StartInfo = psi, EnableRaisingEvents = true };
        // Appended per line rather than through one open writer: output events can still arrive after Exited.
        var gate = new Lock();
        void Append(string? line)
        {
            if (line is not null)
            {
                lock (gate)
                {
                    File.AppendAllText(logFile, line + "\n");
                }
            }
        }

        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static ProcessStartInfo StartInfo(string fileName, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment)
    {
        var psi = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            psi.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            psi.Environment[key] = value;
        }

        return psi;
    }
}
