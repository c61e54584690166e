using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ContextPush.AppHost.Servers;

/// <summary>A RabbitMQ node from Debian's package, run by the orchestrator as an executable on loopback.</summary>
public sealed class LocalRabbitMQResource(string name, string command, string workingDirectory)
    : ExecutableResource(name, command, workingDirectory), IResourceWithConnectionString
{
    public required int Port { get; init; }

    public required int ManagementPort { get; init; }

    /// <summary>The management UI and HTTP API; tests create virtual hosts through it.</summary>
    public Uri ManagementUri => new(string.Create(CultureInfo.InvariantCulture, $"http://guest:guest@127.0.0.1:{ManagementPort}/"));

    public ReferenceExpression ConnectionStringExpression =>
        ReferenceExpression.Create($"amqp://guest:guest@127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}");
}

/// <summary>Adds RabbitMQ as an executable resource, or the user's own broker when its connection string is given.</summary>
public static class LocalRabbitMQExtensions
{
    private const string Package = "rabbitmq-server";
    private const string Server = "/usr/lib/rabbitmq/bin/rabbitmq-server";
    private const string Epmd = "/usr/bin/epmd";
    private const string ServiceUser = "rabbitmq";

    /// <summary>
    /// RabbitMQ with its management plugin on free loopback ports, data in the run's throw-away
    /// folder. With <c>ConnectionStrings__{name}</c> set, that broker is used and nothing is started.
    /// </summary>
    public static IResourceBuilder<IResourceWithConnectionString> AddLocalRabbitMQ(this IDistributedApplicationBuilder builder, string name)
    {
        if (builder.IsGiven(name))
        {
            return builder.AddConnectionString(name);
        }

        var data = LocalData.For(builder, name);
        var epmd = AddEpmd(builder, name, data);
        var rabbit = AddNode(builder, name, data, data, epmd, cluster: null);
        epmd.Resource.WithParentRelationship(rabbit);
        return rabbit;
    }

    /// <summary>
    /// A cluster of <paramref name="nodes"/> RabbitMQ nodes on loopback (one epmd, one Erlang cookie),
    /// formed at boot from a classic peer list: the first node starts alone, the others join it once it
    /// is up. For tests of what a platform team runs, a cluster with quorum queues.
    /// </summary>
    public static IReadOnlyList<IResourceBuilder<LocalRabbitMQResource>> AddLocalRabbitMQCluster(this IDistributedApplicationBuilder builder, string name, int nodes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(nodes, 2);
        var data = LocalData.For(builder, name);
        var epmd = AddEpmd(builder, name, data);
        var ports = Enumerable.Range(0, nodes).Select(_ => FreePort.Next()).ToList();
        var peers = ports.Select(NodeName).ToList();
        var members = new List<IResourceBuilder<LocalRabbitMQResource>>();
        foreach (var (port, i) in ports.Select((p, i) => (p, i)))
        {
            var member = AddNode(builder, $"{name}-{i + 1}", Path.Combine(data, $"node{i + 1}"), data, epmd, peers, port);
            if (i > 0)
            {
                member.WaitFor(members[0]); // joins the first node rather than forming a cluster of its own
            }

            members.Add(member);
        }

        epmd.Resource.WithParentRelationship(members[0]);
        return members;
    }

    private static string NodeName(int port) => string.Create(CultureInfo.InvariantCulture, $"contextpush-{port}@localhost");

    /// <summary>
    /// Erlang starts a daemonized epmd that would outlive the broker; one in the foreground, run by the
    /// orchestrator beside the broker, is found by the broker and stopped with it.
    /// </summary>
    private static (IResourceBuilder<ExecutableResource> Resource, int Port) AddEpmd(IDistributedApplicationBuilder builder, string name, string data)
    {
        var port = FreePort.Next();
        var epmd = builder.AddExecutable($"{name}-epmd", Epmd, data, "-port", port.ToString(CultureInfo.InvariantCulture), "-address", "127.0.0.1")
            .OnBeforeResourceStarted((_, e, ct) => DebianPackages.EnsureAsync(Epmd, Package, e, ct))
            .ExcludeFromManifest();
        return (epmd, port);
    }

    /// <summary>One node; <c>home</c> is where the Erlang cookie lives, shared by the nodes of a cluster.</summary>
    private static IResourceBuilder<LocalRabbitMQResource> AddNode(IDistributedApplicationBuilder builder, string name, string data, string home,
        (IResourceBuilder<ExecutableResource> Resource, int Port) epmd, IReadOnlyList<string>? cluster, int? nodePort = null)
    {
        Directory.CreateDirectory(data);
        int port = nodePort ?? FreePort.Next(), management = FreePort.Next(), dist = FreePort.Next();
        var epmdPortText = epmd.Port.ToString(CultureInfo.InvariantCulture);
        var (command, arguments) = ServiceAccount.As(ServiceUser, Server);
        var resource = new LocalRabbitMQResource(name, command, data) { Port = port, ManagementPort = management };
        return builder.AddResource(resource)
            .WithArgs(arguments)
            .WithEnvironment(context =>
            {
                var env = context.EnvironmentVariables;
                env["HOME"] = home;
                env["RABBITMQ_MNESIA_BASE"] = Path.Combine(data, "mnesia");
                env["RABBITMQ_LOG_BASE"] = Path.Combine(data, "log");
                env["RABBITMQ_LOGS"] = "-"; // to the console, which the dashboard shows
                env["RABBITMQ_NODENAME"] = NodeName(port);
                env["RABBITMQ_NODE_IP_ADDRESS"] = "127.0.0.1";
                env["RABBITMQ_NODE_PORT"] = port.ToString(CultureInfo.InvariantCulture);
                env["RABBITMQ_DIST_PORT"] = dist.ToString(CultureInfo.InvariantCulture);
                env["ERL_EPMD_PORT"] = epmdPortText;
                env["ERL_EPMD_ADDRESS"] = "127.0.0.1";
                env["RABBITMQ_CONFIG_FILE"] = Path.Combine(data, "rabbitmq.conf");
                env["RABBITMQ_ENABLED_PLUGINS_FILE"] = Path.Combine(data, "enabled_plugins");
                env["RABBITMQ_PID_FILE"] = Path.Combine(data, "rabbitmq.pid");
            })
            .WithLoopbackEndpoint("amqp", "amqp", port)
            .WithLoopbackEndpoint("management", "http", management)
            .WithHealthCheck($"{name}-ready", ct => IsReadyAsync(resource, ct))
            .WaitFor(epmd.Resource)
            .OnBeforeResourceStarted(async (r, e, ct) =>
            {
                await DebianPackages.EnsureAsync(Server, Package, e, ct);
                await PrepareAsync(data, home, port, management, cluster, ct);
            })
            .ExcludeFromManifest();
    }

    private static async Task PrepareAsync(string data, string home, int port, int management, IReadOnlyList<string>? cluster, CancellationToken ct)
    {
        Directory.CreateDirectory(Path.Combine(data, "mnesia"));
        Directory.CreateDirectory(Path.Combine(data, "log"));
        var peers = cluster is null ? "" : string.Join('\n', cluster.Select((node, i) => $"cluster_formation.classic_config.nodes.{i + 1} = {node}").Prepend(
            "cluster_formation.peer_discovery_backend = classic_config\ncluster_formation.discovery_retry_limit = 3\ncluster_formation.discovery_retry_interval = 300"));
        await File.WriteAllTextAsync(Path.Combine(data, "rabbitmq.conf"), string.Create(CultureInfo.InvariantCulture, $"""
            listeners.tcp.1 = 127.0.0.1:{port}
            management.tcp.ip = 127.0.0.1
            management.tcp.port = {management}
            collect_statistics_interval = 250
            loopback_users = none
            {peers}
            """), ct);
        await File.WriteAllTextAsync(Path.Combine(data, "enabled_plugins"), "[rabbitmq_management].", ct);
        if (cluster is not null)
        {
            // The nodes of a cluster must share one cookie; Erlang refuses a cookie others may read.
            var cookie = Path.Combine(home, ".erlang.cookie");
            if (!File.Exists(cookie))
            {
                await File.WriteAllTextAsync(cookie, Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(20)), ct);
                if (!OperatingSystem.IsWindows())
                {
                    File.SetUnixFileMode(cookie, UnixFileMode.UserRead);
                }
            }

            ServiceAccount.GiveTo(ServiceUser, home);
        }

        ServiceAccount.GiveTo(ServiceUser, data);
    }

    private static async Task<HealthCheckResult> IsReadyAsync(LocalRabbitMQResource rabbit, CancellationToken ct)
    {
        if (!await FreePort.AcceptsAsync(rabbit.Port, ct))
        {
            return HealthCheckResult.Unhealthy($"nothing accepts AMQP on 127.0.0.1:{rabbit.Port} yet");
        }

        // The management plugin answers only once the broker has booted.
        using var http = new HttpClient { BaseAddress = new Uri(rabbit.ManagementUri.GetLeftPart(UriPartial.Authority)), Timeout = TimeSpan.FromSeconds(5) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("guest:guest")));
        try
        {
            using var response = await http.GetAsync("/api/overview", ct);
            return response.IsSuccessStatusCode
                ? HealthCheckResult.Healthy()
                : HealthCheckResult.Unhealthy($"the management API answers {(int)response.StatusCode}");
        }
        catch (HttpRequestException e)
        {
            return HealthCheckResult.Unhealthy("the management API does not answer yet", e);
        }
    }
}
