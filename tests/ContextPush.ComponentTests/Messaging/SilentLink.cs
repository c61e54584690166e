using System.Net;
using System.Net.Sockets;

namespace ContextPush.ComponentTests.Messaging;

/// <summary>
/// A TCP relay on loopback whose connections can go silent: from <see cref="Silence"/> on, the bytes of every
/// connection open at that moment are dropped both ways while both sockets stay open, as a network that loses a
/// peer without a reset does. Neither side is told; a side that closes still closes the other. Connections made
/// afterwards relay normally.
/// </summary>
public sealed class SilentLink : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly int _target;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Pair> _pairs = [];
    private readonly Task _accepting;

    public SilentLink(int target)
    {
        _target = target;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public int Silenced { get; private set; }

    /// <summary>Silent connections that neither side has closed yet.</summary>
    public int SilentOpen
    {
        get
        {
            lock (_pairs)
            {
                return _pairs.Count(p => p.Silent && !p.Closed);
            }
        }
    }

    public void Silence()
    {
        lock (_pairs)
        {
            foreach (var pair in _pairs.Where(p => !p.Silent))
            {
                pair.Silent = true;
                Silenced++;
            }
        }
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            var server = new TcpClient();
            try
            {
                await server.ConnectAsync(IPAddress.Loopback, _target, _stop.Token);
            }
            catch (Exception e) when (e is SocketException or OperationCanceledException)
            {
                client.Dispose();
                server.Dispose();
                continue;
            }

            var pair = new Pair(client, server);
            lock (_pairs)
            {
                _pairs.Add(pair);
            }

            _ = RelayAsync(pair, client, server);
            _ = RelayAsync(pair, server, client);
        }
    }

    private async Task RelayAsync(Pair pair, TcpClient from, TcpClient to)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            int read;
            while ((read = await from.GetStream().ReadAsync(buffer, _stop.Token)) > 0)
            {
                if (!pair.Silent)
                {
                    await to.GetStream().WriteAsync(buffer.AsMemory(0, read), _stop.Token);
                }
            }
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
        }

        pair.Close();
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        lock (_pairs)
        {
            _pairs.ForEach(p => p.Close());
        }

        _stop.Dispose();
    }

    private sealed class Pair(TcpClient client, TcpClient server)
    {
        public volatile bool Silent;

        public volatile bool Closed;

        public void Close()
        {
            Closed = true;
            client.Dispose();
            server.Dispose();
        }
    }
}
