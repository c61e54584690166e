using System.Globalization;
using System.Runtime.InteropServices;

namespace ContextPush.Testing.Servers;

/// <summary>Process trees read from /proc: what a test must see stopped, whoever started it.</summary>
public static partial class ProcessTree
{
    public const int SigInt = 2;
    public const int SigKill = 9;
    public const int SigTerm = 15;

    /// <summary>Sends a POSIX signal; .NET's Process.Kill only knows SIGKILL.</summary>
    public static void Signal(int pid, int signal) => _ = kill(pid, signal);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int kill(int pid, int signal);

    /// <summary>Every process of the machine, by id.</summary>
    public static IEnumerable<int> All() => Directory.EnumerateDirectories("/proc")
        .Select(dir => int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) ? pid : 0)
        .Where(pid => pid > 0).ToList();

    public static IEnumerable<int> Descendants(int pid)
    {
        var children = All().Where(child => ParentOf(child) == pid).ToList();
        return children.SelectMany(c => Descendants(c).Prepend(c)).ToList();
    }

    /// <summary>The command line with its arguments joined by spaces; empty for a process gone.</summary>
    public static string CommandLine(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ').Trim();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "";
        }
    }

    /// <summary>The environment the process really has: what it received, not what we meant to give it.</summary>
    public static Dictionary<string, string> Environment(int pid) => File.ReadAllText($"/proc/{pid}/environ")
        .Split('\0', StringSplitOptions.RemoveEmptyEntries).Select(e => e.Split('=', 2)).Where(p => p.Length == 2)
        .GroupBy(p => p[0]).ToDictionary(g => g.Key, g => g.Last()[1]);

    public static bool IsAlive(int pid) => Directory.Exists($"/proc/{pid}") && State(pid) is not ('Z' or 'X' or null);

    public static string? CommandName(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/comm").Trim();
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static int? ParentOf(int pid) => StatField(pid, 1) is { } s && int.TryParse(s, CultureInfo.InvariantCulture, out var p) ? p : null;

    private static char? State(int pid) => StatField(pid, 0) is { Length: > 0 } s ? s[0] : null;

    /// <summary>Fields after the command name in /proc/pid/stat: 0 is the state, 1 the parent pid.</summary>
    private static string? StatField(int pid, int index)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return fields.Length > index ? fields[index] : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
