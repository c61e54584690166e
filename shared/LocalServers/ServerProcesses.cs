using System.Globalization;
using System.Runtime.InteropServices;

namespace ContextPush.LocalServers;

/// <summary>Process-tree helpers read from /proc, because servers run under runuser and env wrappers.</summary>
public static partial class ServerProcesses
{
    public const int SigInt = 2;
    public const int SigKill = 9;
    public const int SigTerm = 15;

    /// <summary>Sends a POSIX signal; .NET's Process.Kill only knows SIGKILL.</summary>
    public static void Signal(int pid, int signal) => _ = kill(pid, signal);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int kill(int pid, int signal);

    public static IEnumerable<int> Descendants(int pid)
    {
        var children = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var child)
                && ParentOf(child) == pid)
            {
                children.Add(child);
            }
        }

        return children.SelectMany(c => Descendants(c).Prepend(c)).ToList();
    }

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

    public static void DeleteDirectory(string path)
    {
        for (var attempt = 0; attempt < 5; attempt++)
        {
            try
            {
                if (Directory.Exists(path))
                {
                    Directory.Delete(path, recursive: true);
                }

                return;
            }
            catch (IOException) when (attempt < 4)
            {
                // A server that just exited may still be closing files in it.
                Thread.Sleep(200);
            }
        }
    }
}
