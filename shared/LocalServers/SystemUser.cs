using System.Runtime.InteropServices;

namespace ContextPush.LocalServers;

/// <summary>
/// initdb, pg_ctl and rabbitmq-server refuse to run as root, so as root they run as their Debian
/// service user through runuser; as anyone else they run as that user.
/// </summary>
internal static partial class SystemUser
{
    public static bool IsRoot => geteuid() == 0;

    [LibraryImport("libc")]
    private static partial uint geteuid();

    /// <summary>The command line that runs <paramref name="binary"/> as <paramref name="serviceUser"/> with exactly <paramref name="environment"/> added.</summary>
    public static (string FileName, IReadOnlyList<string> Arguments) Command(
        string serviceUser, string binary, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        var env = environment?.Select(kv => $"{kv.Key}={kv.Value}") ?? [];
        // setsid: a terminal's Ctrl+C reaches only the AppHost, which then stops servers last, in order.
        if (!IsRoot)
        {
            return ("setsid", ["env", .. env, binary, .. arguments]);
        }

        return ("setsid", ["runuser", "-u", serviceUser, "--", "env", .. env, binary, .. arguments]);
    }

    public static void GiveTo(string serviceUser, string directory)
    {
        if (IsRoot)
        {
            ProcessRunner.RunAsync("chown", ["-R", $"{serviceUser}:{serviceUser}", directory], CancellationToken.None)
                .GetAwaiter().GetResult().ThrowIfFailed($"chown {directory}");
        }
    }
}
