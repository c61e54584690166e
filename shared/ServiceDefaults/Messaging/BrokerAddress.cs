using System.Globalization;
using RabbitMQ.Client;

namespace ContextPush.ServiceDefaults.Messaging;

/// <summary>
/// The messaging connection string: <c>amqp://user:password@host:port/vhost</c>, and for a cluster
/// reached without a load balancer in front, <c>?nodes=host:port,host:port</c> naming its other nodes,
/// so every client reconnects to a live node when the one it used goes away.
/// </summary>
public sealed record BrokerAddress(Uri Uri, IReadOnlyList<(string Host, int Port)> Nodes)
{
    public static BrokerAddress Parse(string connectionString)
    {
        var uri = new Uri(connectionString);
        var nodes = new List<(string, int)> { (uri.Host, uri.IsDefaultPort || uri.Port < 0 ? 5672 : uri.Port) };
        var query = uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => p.Length > 1 ? Uri.UnescapeDataString(p[1]) : "");
        foreach (var node in query.GetValueOrDefault("nodes", "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var colon = node.LastIndexOf(':');
            nodes.Add(colon < 0
                ? (node, 5672)
                : (node[..colon], int.TryParse(node[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port)
                    ? port
                    : throw new FormatException($"ConnectionStrings:messaging: the node '{node}' in ?nodes= is not host:port")));
        }

        return new BrokerAddress(new UriBuilder(uri) { Query = "" }.Uri, nodes.Distinct().ToList());
    }

    /// <summary>A connection to the first node that answers, in the order given.</summary>
    public Task<IConnection> ConnectAsync(string clientName, CancellationToken ct) =>
        new ConnectionFactory { Uri = Uri, ClientProvidedName = clientName }
            .CreateConnectionAsync(Nodes.Select(n => new AmqpTcpEndpoint(n.Host, n.Port)).ToList(), ct);
}
