using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ContextPush.AppHost.Servers;

/// <summary>A throw-away MariaDB from Debian's package, run by the orchestrator as an executable on loopback: a MySQL-family warehouse.</summary>
public sealed class LocalMariaDbResource(string name, string command, string workingDirectory)
    : ExecutableResource(name, command, workingDirectory), IResourceWithConnectionString
{
    public const string User = "contextpush";

    public required int Port { get; init; }

    public required string Password { get; init; }

    public ReferenceExpression ConnectionStringExpression => ReferenceExpression.Create(
        $"Server=127.0.0.1;Port={Port.ToString(CultureInfo.InvariantCulture)};User ID={User};Password={Password}");
}

/// <summary>Adds MariaDB as an executable resource, or the user's own server when its connection string is given.</summary>
public static class LocalMariaDbExtensions
{
    private const string Package = "mariadb-server";
    private const string Server = "/usr/sbin/mariadbd";
    private const string InstallDb = "/usr/bin/mariadb-install-db";
    private const string ServiceUser = "mysql";

    /// <summary>
    /// MariaDB on a free loopback port with a fresh data folder in the run's throw-away folder, and one
    /// user, <c>contextpush</c>, that may create databases. With <c>ConnectionStrings__{name}</c> set,
    /// that server is used and nothing is started.
    /// </summary>
    public static IResourceBuilder<IResourceWithConnectionString> AddLocalMariaDb(this IDistributedApplicationBuilder builder, string name)
    {
        if (builder.IsGiven(name))
        {
            return builder.AddConnectionString(name);
        }

        var folder = LocalData.For(builder, name);
        var data = Path.Combine(folder, "data");
        var init = Path.Combine(folder, "init.sql");
        var port = FreePort.Next();
        var password = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(12));
        // Data is thrown away after the run, so durability settings only cost time.
        var (command, arguments) = ServiceAccount.As(ServiceUser, Server,
            "--no-defaults", $"--datadir={data}", $"--port={port.ToString(CultureInfo.InvariantCulture)}", "--bind-address=127.0.0.1",
            $"--socket={Path.Combine(folder, "mariadb.sock")}", $"--pid-file={Path.Combine(folder, "mariadb.pid")}", $"--init-file={init}",
            "--skip-log-bin", "--skip-name-resolve", "--innodb-buffer-pool-size=128M", "--innodb-flush-log-at-trx-commit=0", "--max-connections=300");
        var resource = new LocalMariaDbResource(name, command, folder) { Port = port, Password = password };
        return builder.AddResource(resource)
            .WithArgs(arguments)
            .WithLoopbackEndpoint("tcp", "tcp", port)
            .WithHealthCheck($"{name}-greeting", ct => GreetsAsync(port, ct))
            .OnBeforeResourceStarted(async (_, e, ct) =>
            {
                await DebianPackages.EnsureAsync(Server, Package, e, ct);
                await InitializeAsync(folder, data, init, password, ct);
            })
            .ExcludeFromManifest();
    }

    private static async Task InitializeAsync(string folder, string data, string init, string password, CancellationToken ct)
    {
        // Run at every start: a restart from the dashboard keeps the data and the user.
        await File.WriteAllTextAsync(init, $"""
            CREATE USER IF NOT EXISTS '{LocalMariaDbResource.User}'@'127.0.0.1' IDENTIFIED BY '{password}';
            ALTER USER '{LocalMariaDbResource.User}'@'127.0.0.1' IDENTIFIED BY '{password}';
            GRANT ALL PRIVILEGES ON *.* TO '{LocalMariaDbResource.User}'@'127.0.0.1' WITH GRANT OPTION;
            """, ct);
        if (Directory.Exists(Path.Combine(data, "mysql")))
        {
            ServiceAccount.GiveTo(ServiceUser, folder);
            return;
        }

        Directory.CreateDirectory(data);
        ServiceAccount.GiveTo(ServiceUser, folder);
        var (command, arguments) = ServiceAccount.As(ServiceUser, InstallDb,
            "--no-defaults", $"--datadir={data}", "--auth-root-authentication-method=socket", "--skip-test-db");
        var start = new ProcessStartInfo(command) { RedirectStandardOutput = true, RedirectStandardError = true };
        arguments.ToList().ForEach(start.ArgumentList.Add);
        using var install = Process.Start(start)!;
        var output = install.StandardOutput.ReadToEndAsync(ct);
        var errors = install.StandardError.ReadToEndAsync(ct);
        await install.WaitForExitAsync(ct);
        if (install.ExitCode != 0)
        {
            throw new InvalidOperationException($"mariadb-install-db failed with exit code {install.ExitCode}: {await errors}{await output}");
        }
    }

    /// <summary>Healthy once the server sends its handshake (protocol 10): it then takes logins, the init file having run.</summary>
    private static async Task<HealthCheckResult> GreetsAsync(int port, CancellationToken ct)
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync("127.0.0.1", port, ct);
            var header = new byte[5];
            var read = await client.GetStream().ReadAtLeastAsync(header, header.Length, throwOnEndOfStream: false, ct);
            return read == header.Length && header[4] == 10
                ? HealthCheckResult.Healthy()
                : HealthCheckResult.Unhealthy($"MariaDB on port {port} did not greet (read {read} bytes)");
        }
        catch (SocketException e)
        {
            return HealthCheckResult.Unhealthy($"MariaDB on port {port}: {e.Message}");
        }
    }
}
