using System.Net;
using System.Net.Sockets;

namespace ContextPush.AppHost.Servers;

/// <summary>Free loopback ports, so two runs on one machine never collide.</summary>
public static class FreePort
{
    public static int Next()
    {
        // The OS picks an unused port; the short race until the server binds it is acceptable on loopback.
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
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
}
