using System.Globalization;

namespace ContextPush.Bench.Pipeline;

/// <summary>CPU time and resident set of processes, read from /proc.</summary>
internal static class ProcessUsage
{
    private static readonly double TicksPerSecond = 100; // USER_HZ on Linux

    /// <summary>User plus system CPU seconds the processes have used so far (0 for one that is gone).</summary>
    public static double CpuSeconds(IEnumerable<int> pids) => pids.Sum(pid =>
    {
        var fields = StatFields(pid);
        return fields is null ? 0 : (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / TicksPerSecond;
    });

    /// <summary>The largest peak resident set (VmHWM) among the processes, in MB.</summary>
    public static double PeakRssMegabytes(IEnumerable<int> pids) => pids.Select(pid => Status(pid, "VmHWM:")).DefaultIfEmpty(0).Max() / 1024.0;

    public static IEnumerable<int> Descendants(int pid)
    {
        var parents = All().Select(p => (Pid: p, Parent: StatFields(p) is { } f ? int.Parse(f[1], CultureInfo.InvariantCulture) : 0)).ToList();
        var found = new List<int>();
        var frontier = new Queue<int>([pid]);
        while (frontier.TryDequeue(out var next))
        {
            foreach (var child in parents.Where(p => p.Parent == next).Select(p => p.Pid))
            {
                found.Add(child);
                frontier.Enqueue(child);
            }
        }

        return found;
    }

    /// <summary>Processes whose command name starts with <paramref name="prefix"/>.</summary>
    public static IReadOnlyList<int> Named(string prefix) => [.. All().Where(pid =>
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/comm").StartsWith(prefix, StringComparison.Ordinal);
        }
        catch (IOException)
        {
            return false;
        }
    })];

    public static string CommandLine(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ').Trim();
        }
        catch (IOException)
        {
            return "";
        }
    }

    private static IEnumerable<int> All() => Directory.EnumerateDirectories("/proc")
        .Select(dir => int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) ? pid : 0)
        .Where(pid => pid > 0);

    private static long Status(int pid, string field)
    {
        try
        {
            var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith(field, StringComparison.Ordinal));
            return line is null ? 0 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return 0;
        }
    }

    /// <summary>The fields after the command name: 0 is the state, 1 the parent, 11 and 12 utime and stime.</summary>
    private static string[]? StatFields(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        }
        catch (IOException)
        {
            return null;
        }
    }
}
