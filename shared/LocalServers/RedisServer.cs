using System.Diagnostics;
using System.Globalization;
using StackExchange.Redis;

namespace ContextPush.LocalServers;

/// <summary>A throw-away redis-server on 127.0.0.1 with persistence off.</summary>
public sealed class RedisServer : ILocalServer
{
    private readonly string _dataDir;
    private readonly Process _process;

    private RedisServer(string dataDir, int port, Process process)
    {
        _dataDir = dataDir;
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
        var process = ProcessRunner.StartServer("setsid",
        [
            ServerBinaries.RedisServer,
            "--port", port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--dir", dataDir,
            "--save", "", "--appendonly", "no", "--daemonize", "no", "--protected-mode", "yes",
            // Tests isolate themselves by database number; 256 leaves room for many side by side.
            "--databases", "256",
        ], logFile);
        var server = new RedisServer(dataDir, port, process);
        try
        {
            await Readiness.WaitAsync("Redis", process, logFile, TimeSpan.FromSeconds(30), server.PingAsync, ct);
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }

        log($"redis listening on 127.0.0.1:{port}");
        return server;
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
