using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;

namespace ContextPush.LocalServers;

/// <summary>
/// A throw-away RabbitMQ node on 127.0.0.1 with the management plugin (the dashboard and tests
/// create virtual hosts through its HTTP API). Its own epmd port keeps it apart from any other node.
/// </summary>
public sealed class RabbitMqServer : ILocalServer
{
    private const string ServiceUser = "rabbitmq";
    private readonly string _dataDir;
    private readonly Process _process;
    private readonly int _epmdPort;

    private RabbitMqServer(string dataDir, int port, int managementPort, int epmdPort, Process process)
    {
        _dataDir = dataDir;
        _process = process;
        _epmdPort = epmdPort;
        Port = port;
        ManagementPort = managementPort;
        ConnectionString = $"amqp://guest:guest@127.0.0.1:{port}";
        ManagementUri = new Uri($"http://guest:guest@127.0.0.1:{managementPort}/");
    }

    public string Name => "messaging";

    public int Port { get; }

    public int ManagementPort { get; }

    public string ConnectionString { get; }

    public Uri ManagementUri { get; }

    /// <summary>This node's own epmd, stopped with it.</summary>
    public int EpmdPort => _epmdPort;

    public int ProcessId => _process.Id;

    public static async Task<RabbitMqServer> StartAsync(string baseDir, ServerLog log, CancellationToken ct)
    {
        await ServerBinaries.EnsureRabbitMqAsync(log, ct);
        var dataDir = Path.Combine(baseDir, "rabbitmq");
        Directory.CreateDirectory(Path.Combine(dataDir, "mnesia"));
        Directory.CreateDirectory(Path.Combine(dataDir, "log"));
        int port = FreePort.Next(), management = FreePort.Next(), dist = FreePort.Next(), epmd = FreePort.Next();
        var nodeName = $"contextpush-{port}@localhost";
        await File.WriteAllTextAsync(Path.Combine(dataDir, "rabbitmq.conf"),
            $"""
            listeners.tcp.1 = 127.0.0.1:{port}
            management.tcp.ip = 127.0.0.1
            management.tcp.port = {management}
            collect_statistics_interval = 250
            loopback_users = none
            """, ct);
        await File.WriteAllTextAsync(Path.Combine(dataDir, "enabled_plugins"), "[rabbitmq_management].", ct);
        SystemUser.GiveTo(ServiceUser, dataDir);

        var env = new Dictionary<string, string>
        {
            ["HOME"] = dataDir, // the Erlang cookie lives here
            ["RABBITMQ_MNESIA_BASE"] = Path.Combine(dataDir, "mnesia"),
            ["RABBITMQ_LOG_BASE"] = Path.Combine(dataDir, "log"),
            ["RABBITMQ_NODENAME"] = nodeName,
            ["RABBITMQ_NODE_IP_ADDRESS"] = "127.0.0.1",
            ["RABBITMQ_NODE_PORT"] = port.ToString(CultureInfo.InvariantCulture),
            ["RABBITMQ_DIST_PORT"] = dist.ToString(CultureInfo.InvariantCulture),
            ["ERL_EPMD_PORT"] = epmd.ToString(CultureInfo.InvariantCulture),
            ["ERL_EPMD_ADDRESS"] = "127.0.0.1",
            ["RABBITMQ_CONFIG_FILE"] = Path.Combine(dataDir, "rabbitmq.conf"),
            ["RABBITMQ_ENABLED_PLUGINS_FILE"] = Path.Combine(dataDir, "enabled_plugins"),
            ["RABBITMQ_PID_FILE"] = Path.Combine(dataDir, "rabbitmq.pid"),
        };
        var logFile = Path.Combine(baseDir, "rabbitmq.log");
        var (file, args) = SystemUser.Command(ServiceUser, ServerBinaries.RabbitMqServer, [], env);
        var process = ProcessRunner.StartServer(file, args, logFile);
        var server = new RabbitMqServer(dataDir, port, management, epmd, process);
        try
        {
            await Readiness.WaitAsync("RabbitMQ", process, logFile, TimeSpan.FromSeconds(90), server.IsReadyAsync, ct);
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }

        log($"rabbitmq listening on 127.0.0.1:{port}, management on http://127.0.0.1:{management}/");
        return server;
    }

    private async Task<bool> IsReadyAsync(CancellationToken ct)
    {
        if (!await FreePort.AcceptsAsync(Port, ct))
        {
            return false;
        }

        using var management = new RabbitMqManagement(ManagementUri);
        return await management.IsReadyAsync(ct);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            // The data is thrown away, so a graceful broker shutdown (several seconds) buys nothing.
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        await StopEpmdAsync();
        ServerProcesses.DeleteDirectory(_dataDir);
    }

    private async Task StopEpmdAsync()
    {
        var epmd = Directory.EnumerateFiles("/usr/lib/erlang", "epmd", SearchOption.AllDirectories).FirstOrDefault();
        if (epmd is not null)
        {
            var env = new Dictionary<string, string> { ["ERL_EPMD_PORT"] = _epmdPort.ToString(CultureInfo.InvariantCulture) };
            await ProcessRunner.RunAsync(epmd, ["-kill"], CancellationToken.None, env);
        }
    }
}

/// <summary>The few calls of RabbitMQ's management HTTP API that we need.</summary>
public sealed class RabbitMqManagement : IDisposable
{
    private readonly HttpClient _http;

    public RabbitMqManagement(Uri managementUri)
    {
        var userInfo = Uri.UnescapeDataString(managementUri.UserInfo);
        _http = new HttpClient
        {
            BaseAddress = new Uri(managementUri.GetLeftPart(UriPartial.Authority) + "/"),
            Timeout = TimeSpan.FromSeconds(10),
        };
        _http.DefaultRequestHeaders.Authorization =
            new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(userInfo)));
    }

    public async Task<bool> IsReadyAsync(CancellationToken ct)
    {
        try
        {
            using var response = await _http.GetAsync("api/overview", ct);
            return response.IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    public async Task CreateVirtualHostAsync(string vhost, string user, CancellationToken ct)
    {
        var name = Uri.EscapeDataString(vhost);
        using (var put = await _http.PutAsync($"api/vhosts/{name}", null, ct))
        {
            put.EnsureSuccessStatusCode();
        }

        using var permissions = await _http.PutAsync($"api/permissions/{name}/{Uri.EscapeDataString(user)}",
            new StringContent("""{"configure":".*","write":".*","read":".*"}""", Encoding.UTF8, "application/json"), ct);
        permissions.EnsureSuccessStatusCode();
    }

    public async Task DeleteVirtualHostAsync(string vhost, CancellationToken ct)
    {
        using var response = await _http.DeleteAsync($"api/vhosts/{Uri.EscapeDataString(vhost)}", ct);
    }

    public async Task<string> GetJsonAsync(string path, CancellationToken ct) => await _http.GetStringAsync(path, ct);

    public void Dispose() => _http.Dispose();
}
