using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace ContextPush.AppHost.Servers;

/// <summary>A throw-away PostgreSQL 15 cluster from Debian's package, run by the orchestrator as an executable on loopback.</summary>
public sealed class LocalPostgresResource(string name, string command, string workingDirectory)
    : ExecutableResource(name, command, workingDirectory), IResourceWithConnectionString
{
    public required int Port { get; init; }

    public ReferenceExpression ConnectionStringExpression =>
        ReferenceExpression.Create($"Host=127.0.0.1;Port={Port.ToString(CultureInfo.InvariantCulture)};Username=postgres;Password=postgres");
}

/// <summary>Adds PostgreSQL as an executable resource, or the user's own server when its connection string is given.</summary>
public static class LocalPostgresExtensions
{
    private const string Package = "postgresql-15";
    private const string Bin = "/usr/lib/postgresql/15/bin";
    private const string ServiceUser = "postgres";

    /// <summary>
    /// PostgreSQL on a free loopback port with a fresh cluster in the run's throw-away folder, tuned
    /// for speed over durability. With <c>ConnectionStrings__{name}</c> set (a role that may create
    /// databases), that server is used and nothing is started.
    /// </summary>
    public static IResourceBuilder<IResourceWithConnectionString> AddLocalPostgres(this IDistributedApplicationBuilder builder, string name)
    {
        if (builder.IsGiven(name))
        {
            return builder.AddConnectionString(name).WithServerHealthCheck(name);
        }

        var data = LocalData.For(builder, name);
        var cluster = Path.Combine(data, "data");
        var port = FreePort.Next();
        // Data is thrown away after the run, so durability settings only cost time.
        var (command, arguments) = ServiceAccount.As(ServiceUser, Path.Combine(Bin, "postgres"),
            "-D", cluster, "-p", port.ToString(CultureInfo.InvariantCulture), "-c", "listen_addresses=127.0.0.1",
            "-c", $"unix_socket_directories={data}", "-c", "fsync=off", "-c", "synchronous_commit=off",
            "-c", "full_page_writes=off", "-c", "max_connections=300", "-c", "shared_buffers=256MB",
            "-c", "max_locks_per_transaction=256",
            // Statement counts and times for on-call and the pipeline benchmark (pg_stat_statements, in Debian's server package).
            "-c", "shared_preload_libraries=pg_stat_statements");
        var resource = new LocalPostgresResource(name, command, data) { Port = port };
        return builder.AddResource(resource)
            .WithArgs(arguments)
            .WithLoopbackEndpoint("tcp", "tcp", port)
            .OnBeforeResourceStarted(async (_, e, ct) =>
            {
                await DebianPackages.EnsureAsync(Path.Combine(Bin, "postgres"), Package, e, ct);
                await InitializeClusterAsync(data, cluster, ct);
            })
            .ExcludeFromManifest()
            .WithServerHealthCheck(name);
    }

    /// <summary>
    /// A database on that server, created when the server is healthy. With <c>ConnectionStrings__{name}</c>
    /// set, that database is used as it is: never created, never seeded.
    /// </summary>
    public static IResourceBuilder<IResourceWithConnectionString> AddDatabase(this IResourceBuilder<IResourceWithConnectionString> server, string name)
    {
        var builder = server.ApplicationBuilder;
        if (builder.IsGiven(name))
        {
            return builder.AddConnectionString(name).WithServerHealthCheck(name);
        }

        var database = new PostgresDatabaseResource(name, name, server.Resource);
        return builder.AddResource(database)
            .WithInitialState(new CustomResourceSnapshot
            {
                ResourceType = "PostgresDatabase",
                State = KnownResourceStates.NotStarted,
                Properties = [new(CustomResourceKnownProperties.Source, server.Resource.Name)],
            })
            .WithParentRelationship(server.Resource)
            .WaitFor(server)
            .OnInitializeResource(PostgresDatabaseLifecycle.RunAsync)
            .ExcludeFromManifest()
            .WithServerHealthCheck(name);
    }

    /// <summary>Fills the database with the demo warehouse (<c>--accounts N</c>) once it is created; a given database is never touched.</summary>
    public static IResourceBuilder<IResourceWithConnectionString> WithDemoSeed(this IResourceBuilder<IResourceWithConnectionString> database, int? accounts)
    {
        if (database.Resource is PostgresDatabaseResource && accounts is { } count)
        {
            database.WithAnnotation(new DemoSeedAnnotation(count));
        }

        return database;
    }

    private static IResourceBuilder<IResourceWithConnectionString> WithServerHealthCheck(this IResourceBuilder<IResourceWithConnectionString> resource, string name) =>
        resource.WithHealthCheck($"{name}-connects", async ct =>
        {
            var connectionString = await resource.Resource.ConnectionStringExpression.GetValueAsync(ct);
            try
            {
                await using var connection = new NpgsqlConnection(connectionString + ";Pooling=false;Timeout=3");
                await connection.OpenAsync(ct);
                return HealthCheckResult.Healthy();
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException)
            {
                return HealthCheckResult.Unhealthy(e.Message, e);
            }
        });

    private static async Task InitializeClusterAsync(string data, string cluster, CancellationToken ct)
    {
        if (File.Exists(Path.Combine(cluster, "PG_VERSION")))
        {
            return; // a restart from the dashboard keeps the cluster
        }

        ServiceAccount.GiveTo(ServiceUser, data);
        var (command, arguments) = ServiceAccount.As(ServiceUser, Path.Combine(Bin, "initdb"),
            "-D", cluster, "-U", "postgres", "--auth=trust", "--encoding=UTF8", "--locale=C.UTF-8", "--no-sync");
        var start = new ProcessStartInfo(command) { RedirectStandardOutput = true, RedirectStandardError = true };
        arguments.ToList().ForEach(start.ArgumentList.Add);
        using var initdb = Process.Start(start)!;
        var output = initdb.StandardOutput.ReadToEndAsync(ct);
        var errors = initdb.StandardError.ReadToEndAsync(ct);
        await initdb.WaitForExitAsync(ct);
        if (initdb.ExitCode != 0)
        {
            throw new InvalidOperationException($"initdb failed with exit code {initdb.ExitCode}: {await errors}{await output}");
        }
    }
}
