using System.Globalization;

namespace ContextPush.Bench.Detection;

/// <summary>The process's peak resident set (VmHWM), resettable through /proc/self/clear_refs.</summary>
public static class Memory
{
    public static void ResetPeak()
    {
        GC.Collect();
        File.WriteAllText("/proc/self/clear_refs", "5");
    }

    public static double PeakRssMegabytes()
    {
        var line = File.ReadLines("/proc/self/status").First(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024.0;
    }
}
