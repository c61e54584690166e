using System.Diagnostics;
using System.Text.Json;

namespace ContextPush.Testing;

/// <summary>The built <c>contextpush</c> tool, run as a process the way a CI step runs it.</summary>
public static class Contextpush
{
    public sealed record Outcome(int ExitCode, string Output, string Errors)
    {
        public JsonElement Json => JsonDocument.Parse(Output).RootElement;

        public override string ToString() => $"exit {ExitCode}\n{Output}\n{Errors}";
    }

    private static string Dll { get; } = Path.Combine(AppContext.BaseDirectory, "..", "..", "ContextPush.Cli",
        new DirectoryInfo(AppContext.BaseDirectory).Name, "contextpush.dll");

    public static async Task<Outcome> RunAsync(params string[] args) => await RunAsync(new Dictionary<string, string>(), args);

    public static async Task<Outcome> RunAsync(IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = RepositoryRoot.Path };
        start.ArgumentList.Add(Dll);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["GITHUB_ACTIONS"] = "";
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(deadline.Token);
        return new Outcome(process.ExitCode, await output, await errors);
    }
}
