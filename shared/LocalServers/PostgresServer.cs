using System.Diagnostics;
using System.Globalization;
using Npgsql;

namespace ContextPush.LocalServers;

/// <summary>A throw-away PostgreSQL 15 cluster on 127.0.0.1, tuned for speed rather than durability.</summary>
public sealed class PostgresServer : ILocalServer
{
    private const string ServiceUser = "postgres";
    private readonly string _dataDir;
    private readonly Process _process;

    private PostgresServer(string dataDir, int port, Process process)
    {
        _dataDir = dataDir;
        _process = process;
        Port = port;
        ConnectionString = $"Host=127.0.0.1;Port={port};Username=postgres;Password=postgres";
    }

    public string Name => "postgres";

    public int Port { get; }

    public string ConnectionString { get; }

    public int ProcessId => _process.Id;

    public static async Task<PostgresServer> StartAsync(string baseDir, ServerLog log, CancellationToken ct)
    {
        await ServerBinaries.EnsurePostgresAsync(log, ct);
        var dataDir = Path.Combine(baseDir, "postgres");
        Directory.CreateDirectory(dataDir);
        SystemUser.GiveTo(ServiceUser, dataDir);
        var pgData = Path.Combine(dataDir, "data");
        var logFile = Path.Combine(baseDir, "postgres.log");

        var (initFile, initArgs) = SystemUser.Command(ServiceUser, Path.Combine(ServerBinaries.PostgresBin, "initdb"),
            ["-D", pgData, "-U", "postgres", "--auth=trust", "--encoding=UTF8", "--locale=C.UTF-8", "--no-sync"]);
        (await ProcessRunner.RunAsync(initFile, initArgs, ct)).ThrowIfFailed("initdb");

        var port = FreePort.Next();
        // Data is thrown away after the run, so durability settings only cost time.
        var (file, args) = SystemUser.Command(ServiceUser, Path.Combine(ServerBinaries.PostgresBin, "postgres"),
        [
            "-D", pgData, "-p", port.ToString(CultureInfo.InvariantCulture), "-c", "listen_addresses=127.0.0.1",
            "-c", $"unix_socket_directories={dataDir}", "-c", "fsync=off", "-c", "synchronous_commit=off",
            "-c", "full_page_writes=off", "-c", "max_connections=300", "-c", "shared_buffers=256MB",
            "-c", "max_locks_per_transaction=256",
        ]);
        var process = ProcessRunner.StartServer(file, args, logFile);
        var server = new PostgresServer(dataDir, port, process);
        try
        {
            await Readiness.WaitAsync("PostgreSQL", process, logFile, TimeSpan.FromSeconds(60), server.CanConnectAsync, ct);
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }

        log($"postgres listening on 127.0.0.1:{port} (data {pgData})");
        return server;
    }

    private async Task<bool> CanConnectAsync(CancellationToken ct)
    {
        try
        {
            await using var connection = new NpgsqlConnection(ConnectionString + ";Pooling=false;Timeout=2");
            await connection.OpenAsync(ct);
            return true;
        }
        catch (NpgsqlException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            // SIGINT is PostgreSQL's "fast shutdown": it ends backends and removes its shared memory.
            foreach (var pid in ServerProcesses.Descendants(_process.Id).Append(_process.Id))
            {
                if (ServerProcesses.CommandName(pid) == "postgres")
                {
                    ServerProcesses.Signal(pid, ServerProcesses.SigInt);
                    break;
                }
            }

            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try
            {
                await _process.WaitForExitAsync(wait.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
            }
        }

        _process.Dispose();
        ServerProcesses.DeleteDirectory(_dataDir);
    }
}
