using System.Globalization;

namespace ContextPush.Bench.Pipeline;

/// <summary>The command line: [deltas] [--runs N] [--replicas service=N]… [--set Key=Value]… (an environment setting for every service).</summary>
internal sealed record BenchOptions(int Deltas, int Runs, IReadOnlyDictionary<string, int> Replicas, IReadOnlyDictionary<string, string> Settings)
{
    public static BenchOptions Parse(string[] args)
    {
        var deltas = 10_000;
        var runs = 3;
        var replicas = new Dictionary<string, int>();
        var settings = new Dictionary<string, string>();
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--runs" when i + 1 < args.Length:
                    runs = int.Parse(args[++i], CultureInfo.InvariantCulture);
                    break;
                case "--replicas" when i + 1 < args.Length && args[i + 1].Split('=') is [var service, var n]:
                    replicas[service] = int.Parse(n, CultureInfo.InvariantCulture);
                    i++;
                    break;
                case "--set" when i + 1 < args.Length && args[i + 1].Split('=', 2) is [var key, var value]:
                    settings[key] = value;
                    i++;
                    break;
                case var n when int.TryParse(n, NumberStyles.None, CultureInfo.InvariantCulture, out var count) && count >= 1_000:
                    deltas = count;
                    break;
                default:
                    throw new ArgumentException($"'{args[i]}' is not understood. Usage: [deltas ≥ 1000] [--runs N] [--replicas service=N]… [--set Key=Value]…");
            }
        }

        return new BenchOptions(deltas, runs, replicas, settings);
    }
}
