using System.Diagnostics;
using ContextPush.AppHost.Servers;
using Microsoft.Extensions.Logging.Abstractions;

namespace ContextPush.EndToEndTests.Browser;

/// <summary>
/// Runs a script of this folder with Node.js and playwright-core against Debian's Chromium: the
/// browser comes from apt-get and playwright-core from npm (package-lock.json), so no tool ever
/// downloads a browser of its own.
/// </summary>
public static class BrowserScript
{
    private static readonly SemaphoreSlim Setup = new(1, 1);
    private static readonly string Folder = Path.Combine(RepositoryRoot.Path, "tests", "ContextPush.EndToEndTests", "Browser");

    /// <summary>Runs the script and answers what it printed; fails the test with its errors when it exits non-zero.</summary>
    public static async Task<string> RunAsync(string script, params string[] arguments)
    {
        var ct = TestContext.Current.CancellationToken;
        await EnsureReadyAsync(ct);
        var (code, output, errors) = await RunAsync("node", [script, .. arguments], TimeSpan.FromMinutes(4), ct);
        Assert.True(code == 0, $"node {script} exited {code}:\n{errors}\n{output}");
        return output;
    }

    private static async Task EnsureReadyAsync(CancellationToken ct)
    {
        await Setup.WaitAsync(ct);
        try
        {
            await DebianPackages.EnsureAsync("/usr/bin/chromium", "chromium", NullLogger.Instance, ct);
            if (!Directory.Exists(Path.Combine(Folder, "node_modules", "playwright-core")))
            {
                var (code, output, errors) = await RunAsync("npm", ["ci", "--no-audit", "--no-fund"], TimeSpan.FromMinutes(5), ct);
                Assert.True(code == 0, $"npm ci in {Folder} exited {code}:\n{errors}\n{output}");
            }
        }
        finally
        {
            Setup.Release();
        }
    }

    private static async Task<(int Code, string Output, string Errors)> RunAsync(string command, string[] arguments, TimeSpan timeout, CancellationToken ct)
    {
        var start = new ProcessStartInfo(command) { WorkingDirectory = Folder, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(ct);
        var errors = process.StandardError.ReadToEndAsync(ct);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{command} {string.Join(' ', arguments)} did not finish within {timeout}: {await errors}");
        }

        return (process.ExitCode, await output, await errors);
    }
}
