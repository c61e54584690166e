using ContextPush.LocalServers;

namespace ContextPush.AppHost.Hosting;

/// <summary>How the AppHost runs: from the command line, or set by tests.</summary>
public sealed class DistributedApplicationOptions
{
    /// <summary>Servers to use instead of starting (or reading from ConnectionStrings__*) our own; not stopped by the application.</summary>
    public LocalServerSet? Servers { get; init; }

    /// <summary>
    /// Isolates one application from others on the same servers: databases are named
    /// <c>{prefix}_{name}</c> and recreated, RabbitMQ gets a virtual host of that name. Tests set it.
    /// </summary>
    public string? IsolationPrefix { get; init; }

    /// <summary>The Redis database number for the cache connection (tests give each application its own).</summary>
    public int RedisDatabase { get; init; }

    /// <summary>--no-seed: leave the warehouse as it is.</summary>
    public bool SkipSeed { get; init; }

    /// <summary>--accounts N: the demo warehouse's size.</summary>
    public int SeedAccounts { get; init; } = 120;

    /// <summary>--replicas name=N: extra instances of a service.</summary>
    public IReadOnlyDictionary<string, int> Replicas { get; init; } = new Dictionary<string, int>();

    /// <summary>--dashboard-port N: where the dashboard listens (default 18888, Aspire's; 0 picks a free port).</summary>
    public int DashboardPort { get; init; } = 18888;

    public TextWriter Output { get; init; } = Console.Out;

    public TimeSpan HealthTimeout { get; init; } = TimeSpan.FromSeconds(90);

    public static DistributedApplicationOptions Parse(string[] args)
    {
        var replicas = new Dictionary<string, int>();
        bool skipSeed = false;
        var accounts = 120;
        var dashboardPort = 18888;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--no-seed":
                    skipSeed = true;
                    break;
                case "--accounts" when i + 1 < args.Length:
                    accounts = int.Parse(args[++i], System.Globalization.CultureInfo.InvariantCulture);
                    break;
                case "--dashboard-port" when i + 1 < args.Length:
                    dashboardPort = int.Parse(args[++i], System.Globalization.CultureInfo.InvariantCulture);
                    break;
                case "--replicas" when i + 1 < args.Length && args[i + 1].Split('=') is [var name, var count]:
                    replicas[name] = int.Parse(count, System.Globalization.CultureInfo.InvariantCulture);
                    i++;
                    break;
                default:
                    throw new ArgumentException(
                        $"Unknown option '{args[i]}'. Options: --no-seed, --accounts N, --replicas <service>=N, --dashboard-port N. " +
                        "Set ConnectionStrings__messaging, ConnectionStrings__postgres or ConnectionStrings__cache to use your own servers.");
            }
        }

        return new DistributedApplicationOptions { SkipSeed = skipSeed, SeedAccounts = accounts, Replicas = replicas, DashboardPort = dashboardPort };
    }
}
