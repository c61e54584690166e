using System.Globalization;

namespace ContextPush.AppHost;

/// <summary>ContextPush's own command-line options; anything of the form <c>--Key=Value</c> passes on to Aspire's configuration.</summary>
public sealed record AppHostOptions
{
    public const string Usage = "Options: --no-seed, --accounts N, --replicas <service>=N, and any --Key=Value for Aspire's configuration. " +
        "Set ConnectionStrings__messaging, ConnectionStrings__postgres or ConnectionStrings__cache to use servers you already run.";

    /// <summary>--accounts N: the demo warehouse's size; null with --no-seed, which leaves the warehouse as it is.</summary>
    public int? SeedAccounts { get; init; } = 120;

    /// <summary>--replicas name=N: instances of a service.</summary>
    public IReadOnlyDictionary<string, int> Replicas { get; init; } = new Dictionary<string, int>();

    /// <summary>What Aspire's builder is given.</summary>
    public string[] AspireArgs { get; init; } = [];

    public int ReplicasOf(string service) => Replicas.GetValueOrDefault(service, 1);

    public static AppHostOptions Parse(string[] args)
    {
        var replicas = new Dictionary<string, int>(StringComparer.Ordinal);
        var aspire = new List<string>();
        int? accounts = 120;
        var seed = true;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--no-seed":
                    seed = false;
                    break;
                case "--accounts" when i + 1 < args.Length && int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0:
                    accounts = n;
                    i++;
                    break;
                case "--replicas" when i + 1 < args.Length && args[i + 1].Split('=') is [var name, var count]
                                       && int.TryParse(count, NumberStyles.None, CultureInfo.InvariantCulture, out var r) && r > 0:
                    replicas[name] = r;
                    i++;
                    break;
                case var setting when setting.StartsWith("--", StringComparison.Ordinal) && setting.Contains('=', StringComparison.Ordinal):
                    aspire.Add(setting);
                    break;
                default:
                    throw new ArgumentException($"Unknown or incomplete option '{args[i]}'. {Usage}");
            }
        }

        return new AppHostOptions { SeedAccounts = seed ? accounts : null, Replicas = replicas, AspireArgs = [.. aspire] };
    }
}
