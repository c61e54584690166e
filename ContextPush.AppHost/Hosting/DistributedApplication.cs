using System.Globalization;
using System.Runtime.InteropServices;
using ContextPush.AppHost.Dashboard;
using ContextPush.AppHost.Telemetry;
using ContextPush.DemoWarehouse;
using ContextPush.LocalServers;
using Npgsql;

namespace ContextPush.AppHost.Hosting;

/// <summary>
/// Starts what the builder declared: servers first, then databases (and the demo seed), then each
/// project in dependency order, waiting for its /health before starting what waits for it.
/// Disposing stops everything it started, in reverse order.
/// </summary>
public sealed class DistributedApplication : IAsyncDisposable
{
    private readonly DistributedApplicationBuilder _builder;
    private readonly ConsoleLog _log;
    private readonly List<ServiceInstance> _started = [];
    private LocalServerSet? _ownServers;
    private OtlpReceiver? _otlp;
    private DashboardServer? _dashboard;

    internal DistributedApplication(DistributedApplicationBuilder builder)
    {
        _builder = builder;
        _log = new ConsoleLog(builder.Options.Output);
    }

    public IReadOnlyList<IResource> Resources => _builder.Resources;

    public LocalServerSet Servers => _builder.Options.Servers ?? _ownServers ?? throw new InvalidOperationException("The application has not started.");

    public ProjectResource Project(string name) => _builder.Resource<ProjectResource>(name);

    /// <summary>The servers this run started itself (none when given connection strings).</summary>
    public IReadOnlyList<ILocalServer> StartedServers => (_builder.Options.Servers ?? _ownServers)?.Started ?? [];

    /// <summary>The dashboard's address, once started.</summary>
    public Uri? DashboardUrl => _dashboard?.Url;

    /// <summary>The traces the services exported to this AppHost (empty when they export to a collector of the user's).</summary>
    public TraceStore Traces { get; } = new();

    /// <summary>Where the services send OTLP: this AppHost's receiver, or the collector named in the AppHost's own environment.</summary>
    public Uri? OtlpEndpoint => _otlp?.Endpoint;

    public async Task StartAsync(CancellationToken ct = default)
    {
        var options = _builder.Options;
        _ownServers = options.Servers is null ? await LocalServerSet.StartAsync(m => _log.Write("apphost", m), ct) : null;
        await ProvisionServersAsync(ct);
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable("OTEL_EXPORTER_OTLP_ENDPOINT")))
        {
            _otlp = await OtlpReceiver.StartAsync(Traces);
            _log.Write("apphost", $"receiving OTLP on {_otlp.Endpoint}");
        }

        _dashboard = await DashboardServer.StartAsync(this, _log, options.DashboardPort);
        _log.Write("apphost", $"Dashboard: {_dashboard.Url}");

        foreach (var project in StartOrder())
        {
            var assembly = ProjectLocator.AssemblyPath(project.ProjectName);
            for (var replica = 0; replica < project.Replicas; replica++)
            {
                var name = replica == 0 ? project.Name : $"{project.Name}-{replica}";
                var port = FreePort.Next();
                var instance = new ServiceInstance(name, assembly, port, EnvironmentFor(project, name, port), _log);
                instance.Start();
                _started.Add(instance);
                project.Instances.Add(instance);
            }

            if (project.HealthCheckPath is { } path)
            {
                await Task.WhenAll(project.Instances.Select(i => i.WaitHealthyAsync(path, options.HealthTimeout, ct)));
            }

            _log.Write("apphost", $"{project.Name} is running at {string.Join(", ", project.Instances.Select(i => i.Url))}");
        }
    }

    /// <summary>Starts, then runs until Ctrl+C or SIGTERM, then stops everything it started.</summary>
    public async Task RunAsync()
    {
        using var stop = new CancellationTokenSource();
        void RequestStop(PosixSignalContext context)
        {
            context.Cancel = true;
            // The services got the same signal from the terminal; their exits must not look like crashes.
            foreach (var instance in _started.ToArray())
            {
                instance.BeginStop();
            }
            stop.Cancel();
        }

        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, RequestStop);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, RequestStop);

        try
        {
            await StartAsync(stop.Token);
            _log.Write("apphost", "ContextPush is running. Press Ctrl+C to stop.");
            await Task.Delay(Timeout.Infinite, stop.Token);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Ctrl+C: fall through to the orderly stop.
        }
        finally
        {
            _log.Write("apphost", "Stopping…");
            await DisposeAsync();
            _log.Write("apphost", "Stopped; nothing left running.");
        }
    }

    private async Task ProvisionServersAsync(CancellationToken ct)
    {
        var options = _builder.Options;
        foreach (var server in _builder.Resources.OfType<ServerResource>())
        {
            server.ConnectionString = server.Kind switch
            {
                ServerKind.RabbitMq when options.IsolationPrefix is { } vhost => await Servers.CreateVirtualHostAsync(vhost, ct),
                ServerKind.RabbitMq => Servers.Messaging,
                ServerKind.Postgres => Servers.Postgres,
                ServerKind.Redis => Servers.Cache + (options.RedisDatabase > 0 ? string.Create(CultureInfo.InvariantCulture, $",defaultDatabase={options.RedisDatabase}") : ""),
                _ => throw new InvalidOperationException($"Unknown server kind {server.Kind}"),
            };
        }

        foreach (var database in _builder.Resources.OfType<DatabaseResource>())
        {
            database.ConnectionString = options.IsolationPrefix is { } prefix
                ? await Servers.CreateDatabaseAsync($"{prefix}_{database.Name}", ct)
                : await Servers.EnsureDatabaseAsync(database.Name, ct);
            if (database.DemoSeedAccounts is { } accounts && !options.SkipSeed)
            {
                await using var dataSource = NpgsqlDataSource.Create(database.ConnectionString);
                _log.Write("apphost", $"seeding {database.Name} with {accounts} demo accounts");
                await DemoWarehouseSeeder.SeedAsync(dataSource, accounts, ct: ct);
            }
        }
    }

    private Dictionary<string, string> EnvironmentFor(ProjectResource project, string instanceName, int port)
    {
        var env = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}",
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["DOTNET_ENVIRONMENT"] = "Development",
            ["OTEL_SERVICE_NAME"] = project.Name,
            ["OTEL_RESOURCE_ATTRIBUTES"] = $"service.instance.id={instanceName}-{Guid.NewGuid():N}",
            ["LOGGING__CONSOLE__FORMATTERNAME"] = "simple",
        };
        if (_otlp is not null)
        {
            // Aspire's values for local runs: export often, so a trace shows up within a second or two.
            env["OTEL_EXPORTER_OTLP_ENDPOINT"] = _otlp.Endpoint.ToString();
            env["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf";
            env["OTEL_BSP_SCHEDULE_DELAY"] = "1000";
            env["OTEL_BLRP_SCHEDULE_DELAY"] = "1000";
            env["OTEL_METRIC_EXPORT_INTERVAL"] = "1000";
            env["OTEL_TRACES_SAMPLER"] = "always_on";
        }

        foreach (var reference in project.References)
        {
            switch (reference)
            {
                case IResourceWithConnectionString withConnection:
                    env[$"ConnectionStrings__{reference.Name}"] = withConnection.ConnectionString
                        ?? throw new InvalidOperationException($"{reference.Name} has no connection string yet; it must start before {project.Name}.");
                    break;
                case ProjectResource other when other.Instances.Count > 0:
                    env[$"services__{other.Name}__http__0"] = other.Instances[0].Url.ToString();
                    break;
                case ProjectResource other:
                    throw new InvalidOperationException($"{project.Name} references {other.Name}, which is not started yet: add WaitFor({other.Name}).");
            }
        }

        foreach (var (key, value) in project.Environment)
        {
            env[key] = value;
        }

        return env;
    }

    /// <summary>Projects ordered so that each starts after everything it waits for.</summary>
    private List<ProjectResource> StartOrder()
    {
        var projects = _builder.Resources.OfType<ProjectResource>().ToList();
        var ordered = new List<ProjectResource>();
        var visiting = new HashSet<ProjectResource>();
        void Visit(ProjectResource project)
        {
            if (ordered.Contains(project))
            {
                return;
            }

            if (!visiting.Add(project))
            {
                throw new InvalidOperationException($"{project.Name} waits for itself through a cycle of WaitFor calls.");
            }

            foreach (var dependency in project.WaitsFor.OfType<ProjectResource>())
            {
                Visit(dependency);
            }

            ordered.Add(project);
        }

        projects.ForEach(Visit);
        return ordered;
    }

    public async ValueTask DisposeAsync()
    {
        for (var i = _started.Count - 1; i >= 0; i--)
        {
            await _started[i].DisposeAsync();
        }

        _started.Clear();
        if (_dashboard is not null)
        {
            await _dashboard.DisposeAsync();
            _dashboard = null;
        }

        if (_otlp is not null)
        {
            await _otlp.DisposeAsync();
            _otlp = null;
        }

        if (_ownServers is not null)
        {
            await _ownServers.DisposeAsync();
            _ownServers = null;
        }
    }
}
