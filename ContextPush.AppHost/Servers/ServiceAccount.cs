using System.Diagnostics;

namespace ContextPush.AppHost.Servers;

/// <summary>
/// initdb, postgres and rabbitmq-server refuse to run as root, so as root each runs as its Debian
/// service user. setpriv execs in place (unlike runuser, which stays as a parent), so the process
/// the orchestrator watches and signals is the server itself.
/// </summary>
internal static class ServiceAccount
{
    public static bool IsRoot => Environment.IsPrivilegedProcess;

    /// <summary>The command and arguments that run <paramref name="binary"/> as <paramref name="user"/> when we are root.</summary>
    public static (string Command, string[] Arguments) As(string user, string binary, params string[] arguments) => IsRoot
        ? ("/usr/bin/setpriv", ["--reuid", user, "--regid", user, "--init-groups", "--", binary, .. arguments])
        : (binary, arguments);

    /// <summary>Gives a folder to the service user, who must own its data.</summary>
    public static void GiveTo(string user, string directory)
    {
        if (!IsRoot)
        {
            return;
        }

        using var chown = Process.Start("chown", ["-R", $"{user}:{user}", directory]);
        chown.WaitForExit();
        if (chown.ExitCode != 0)
        {
            throw new InvalidOperationException($"chown -R {user} {directory} failed with exit code {chown.ExitCode}.");
        }
    }
}
