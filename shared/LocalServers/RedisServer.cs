using System.Diagnostics;
using System.Globalization;
using StackExchange.Redis;

namespace ContextPush.LocalServers;

/// <summary>A throw-away redis-server on 127.0.0.1 with persistence off.</summary>
public sealed class RedisServer : ILocalServer
{
    private readonly string _dataDir;
    private readonly string _logFile;
    private Process _process;

    private RedisServer(string dataDir, string logFile, int port, Process process)
    {
        _dataDir = dataDir;
        _logFile = logFile;
        _process = process;
        Port = port;
        ConnectionString = $"127.0.0.1:{port}";
    }

    public string Name => "cache";

    public int Port { get; }

    public string ConnectionString { get; }

    public int ProcessId => _process.Id;

    public static async Task<RedisServer> StartAsync(string baseDir, ServerLog log, CancellationToken ct)
    {
        await ServerBinaries.EnsureRedisAsync(log, ct);
        var dataDir = Path.Combine(baseDir, "redis");
        Directory.CreateDirectory(dataDir);
        var port = FreePort.Next();
        var logFile = Path.Combine(baseDir, "redis.log");
        var server = new RedisServer(dataDir, logFile, port, Launch(dataDir, port, logFile));
        try
        {
            await Readiness.WaitAsync("Redis", server._process, logFile, TimeSpan.FromSeconds(30), server.PingAsync, ct);
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }

        log($"redis listening on 127.0.0.1:{port}");
        return server;
    }

    private static Process Launch(string dataDir, int port, string logFile) => ProcessRunner.StartServer("setsid",
    [
        ServerBinaries.RedisServer,
        "--port", port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--dir", dataDir,
        "--save", "", "--appendonly", "no", "--daemonize", "no", "--protected-mode", "yes",
        // Tests isolate themselves by database number; 256 leaves room for many side by side.
        "--databases", "256",
    ], logFile);

    /// <summary>Kills the server as an outage would (its data is gone, as with persistence off); for failure tests.</summary>
    public async Task StopAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    /// <summary>Starts it again on the same port after <see cref="StopAsync"/>.</summary>
    public async Task RestartAsync(CancellationToken ct = default)
    {
        _process.Dispose();
        _process = Launch(_dataDir, Port, _logFile);
        await Readiness.WaitAsync("Redis", _process, _logFile, TimeSpan.FromSeconds(30), PingAsync, ct);
    }

    private async Task<bool> PingAsync(CancellationToken ct)
    {
        if (!await FreePort.AcceptsAsync(Port, ct))
        {
            return false;
        }

        try
        {
            await using var mux = await ConnectionMultiplexer.ConnectAsync(ConnectionString + ",connectTimeout=1000");
            await mux.GetDatabase().PingAsync();
            return true;
        }
        catch (RedisException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        ServerProcesses.DeleteDirectory(_dataDir);
    }
}
