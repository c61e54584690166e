using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace ContextPush.AppHost.Servers;

/// <summary>Free loopback ports, so two runs on one machine never collide.</summary>
public static class FreePort
{
    private const int Lowest = 20000;
    private const string EphemeralRange = "/proc/sys/net/ipv4/ip_local_port_range";

    // A port handed out stays unbound until its server starts, which can be many seconds later.
    private static readonly ConcurrentDictionary<int, byte> HandedOut = new();
    private static readonly Lazy<int> Highest = new(() => FirstEphemeral() - 1);

    /// <summary>
    /// A loopback port nothing listens on, never one handed out before in this process. It is taken
    /// below the range the OS draws ports from for outgoing connections: a port the OS picked itself
    /// (bind to 0) is drawn from that range too, and any connection opened before the server binds it
    /// (a busy test run opens hundreds a second) could take it, failing the server's start.
    /// </summary>
    public static int Next()
    {
        var span = Highest.Value - Lowest + 1;
        var start = Random.Shared.Next(span);
        for (var i = 0; i < span; i++)
        {
            var port = Lowest + ((start + i) % span);
            if (IsFree(port) && HandedOut.TryAdd(port, 0))
            {
                return port;
            }
        }

        throw new InvalidOperationException($"No free loopback port between {Lowest} and {Highest.Value}.");
    }

    public static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    public static async Task<bool> AcceptsAsync(int port, CancellationToken cancellationToken)
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(IPAddress.Loopback, port, cancellationToken);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>Linux's first port for outgoing connections; 32768 elsewhere, below both Windows' and macOS's ranges.</summary>
    private static int FirstEphemeral()
    {
        try
        {
            var first = File.ReadAllText(EphemeralRange).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)[0];
            var port = int.Parse(first, CultureInfo.InvariantCulture);
            return port > Lowest + 1000 ? port : 32768;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return 32768;
        }
    }
}
