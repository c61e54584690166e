using System.Globalization;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ContextPush.AppHost.Servers;

/// <summary>A redis-server from Debian's package with persistence off, run by the orchestrator as an executable on loopback.</summary>
public sealed class LocalRedisResource(string name, string command, string workingDirectory)
    : ExecutableResource(name, command, workingDirectory), IResourceWithConnectionString
{
    public required int Port { get; init; }

    public ReferenceExpression ConnectionStringExpression =>
        ReferenceExpression.Create($"127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}");
}

/// <summary>Adds Redis as an executable resource, or the user's own server when its connection string is given.</summary>
public static class LocalRedisExtensions
{
    private const string Package = "redis-server";
    private const string Server = "/usr/bin/redis-server";

    /// <summary>Redis on a free loopback port. With <c>ConnectionStrings__{name}</c> set, that server is used and nothing is started.</summary>
    public static IResourceBuilder<IResourceWithConnectionString> AddLocalRedis(this IDistributedApplicationBuilder builder, string name)
    {
        if (builder.IsGiven(name))
        {
            return builder.AddConnectionString(name);
        }

        var data = LocalData.For(builder, name);
        var port = FreePort.Next();
        var resource = new LocalRedisResource(name, Server, data) { Port = port };
        return builder.AddResource(resource)
            .WithArgs("--port", port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--dir", data,
                "--save", "", "--appendonly", "no", "--daemonize", "no", "--protected-mode", "yes",
                // Tests keep apart by database number; 256 leaves room for many side by side.
                "--databases", "256")
            .WithLoopbackEndpoint("tcp", "redis", port)
            .WithHealthCheck($"{name}-pong", ct => PingAsync(port, ct))
            .OnBeforeResourceStarted((_, e, ct) => DebianPackages.EnsureAsync(Server, Package, e, ct))
            .ExcludeFromManifest();
    }

    /// <summary>PING in Redis' own protocol: the check needs no client library.</summary>
    private static async Task<HealthCheckResult> PingAsync(int port, CancellationToken ct)
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync("127.0.0.1", port, ct);
            var stream = client.GetStream();
            await stream.WriteAsync("PING\r\n"u8.ToArray(), ct);
            var buffer = new byte[64];
            var read = await stream.ReadAsync(buffer, ct);
            var answer = Encoding.ASCII.GetString(buffer, 0, read);
            return answer.StartsWith("+PONG", StringComparison.Ordinal)
                ? HealthCheckResult.Healthy()
                : HealthCheckResult.Unhealthy($"redis answered {answer.Trim()}");
        }
        catch (SocketException e)
        {
            return HealthCheckResult.Unhealthy($"nothing accepts connections on 127.0.0.1:{port} yet", e);
        }
    }
}
