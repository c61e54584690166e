using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ContextPush.AppHost.Servers;

/// <summary>
/// Installs a server's Debian package when its binary is missing and we are root, so a fresh machine
/// needs nothing installed by hand. Runs before the resource starts, so the dashboard shows the wait.
/// </summary>
public static class DebianPackages
{
    private static readonly SemaphoreSlim AptLock = new(1, 1);

    public static Task EnsureAsync(string binary, string package, BeforeResourceStartedEvent starting, CancellationToken ct) =>
        EnsureAsync(binary, package, starting.Services.GetRequiredService<ResourceLoggerService>().GetLogger(starting.Resource), ct);

    public static async Task EnsureAsync(string binary, string package, ILogger logger, CancellationToken ct)
    {
        if (File.Exists(binary))
        {
            return;
        }

        if (!ServiceAccount.IsRoot)
        {
            throw new InvalidOperationException(
                $"{binary} is missing: install the Debian package '{package}' (sudo apt-get install -y {package}), " +
                "or set ConnectionStrings__messaging, ConnectionStrings__postgres or ConnectionStrings__cache to servers you already run.");
        }

        await AptLock.WaitAsync(ct);
        try
        {
            if (File.Exists(binary))
            {
                return;
            }

            logger.LogInformation("{Binary} is missing; installing the Debian package {Package}", binary, package);
            if (await AptGetAsync(["install", "-y", "-q", package], ct) != 0)
            {
                // A fresh machine has no package lists yet.
                await AptGetAsync(["update", "-q"], ct);
                if (await AptGetAsync(["install", "-y", "-q", package], ct) is var code and not 0)
                {
                    throw new InvalidOperationException($"apt-get install {package} failed with exit code {code}.");
                }
            }
        }
        finally
        {
            AptLock.Release();
        }
    }

    private static async Task<int> AptGetAsync(string[] arguments, CancellationToken ct)
    {
        // Another process of ours (a second AppHost, the tests' servers) may be installing at the same
        // time: wait for dpkg's lock instead of failing on it.
        var start = new ProcessStartInfo("apt-get", ["-o", "DPkg::Lock::Timeout=600"]) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["DEBIAN_FRONTEND"] = "noninteractive";
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var apt = Process.Start(start)!;
        _ = apt.StandardOutput.ReadToEndAsync(ct);
        _ = apt.StandardError.ReadToEndAsync(ct);
        await apt.WaitForExitAsync(ct);
        return apt.ExitCode;
    }
}
