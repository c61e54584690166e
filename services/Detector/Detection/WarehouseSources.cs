using System.Collections.Concurrent;
using ContextPush.Detector.State;
using ContextPush.Detector.Warehouses;
using ContextPush.Detector.Warehouses.BigQuery;
using ContextPush.Detector.Warehouses.Snowflake;
using ContextPush.Warehouses;
using ContextPush.Warehouses.Lookups;
using Npgsql;

namespace ContextPush.Detector.Detection;

/// <summary>
/// The warehouses pushes run on, by connection name ("warehouse" unless a push names another), each of
/// the engine <c>Detector:Warehouses:&lt;name&gt;:Engine</c> names (postgres when unset, mariadb, snowflake, bigquery). They
/// are only read; before a PostgreSQL warehouse is first used, the tracking state an earlier version
/// kept in it is moved to detectordb (<see cref="StateMigration"/>).
/// </summary>
public sealed class WarehouseSources(NpgsqlDataSource defaultWarehouse, DetectorState state, IConfiguration configuration,
    ILogger<WarehouseSources> logger) : IAsyncDisposable
{
    public const string DefaultName = "warehouse";

    private readonly ConcurrentDictionary<string, NpgsqlDataSource> _others = new();
    // One HTTP client per REST warehouse for the process, so its connections and tokens are reused.
    private readonly ConcurrentDictionary<string, Lazy<(IWarehouseConnector Connector, IDisposable Http)>> _rest = new();
    private readonly ConcurrentDictionary<string, Lazy<(IWarehouseLookup Lookup, IDisposable? Owned)>> _lookups = new();
    // Lazy: GetOrAdd may run a factory on racing threads.
    private readonly ConcurrentDictionary<string, Lazy<Task>> _migrated = new();

    public NpgsqlDataSource Default => defaultWarehouse;

    /// <summary>The engine of the named warehouse, or an error that names the setting and the engines there are.</summary>
    public WarehouseEngine EngineOf(string name) =>
        WarehouseEngines.Parse(configuration[$"Detector:Warehouses:{name}:Engine"], $"Detector__Warehouses__{name}__Engine");

    /// <summary>The named PostgreSQL warehouse, or an error that says which connection string to set.</summary>
    public NpgsqlDataSource Get(string name)
    {
        if (EngineOf(name) != WarehouseEngine.Postgres)
        {
            throw new InvalidOperationException($"warehouse '{name}' is {EngineOf(name)}: only a PostgreSQL warehouse can answer this yet");
        }

        return name == DefaultName
            ? defaultWarehouse
            : _others.GetOrAdd(name, n => NpgsqlDataSource.Create(ConnectionString(n)));
    }

    /// <summary>The named warehouse's cohort reader.</summary>
    public IWarehouseConnector Connector(string name) => EngineOf(name) switch
    {
        WarehouseEngine.MariaDb => new MariaDbWarehouse(ConnectionString(name)),
        WarehouseEngine.Snowflake => Rest(name, n => SnowflakeWarehouse.Create(n, ConnectionString(n), TimeProvider.System)),
        WarehouseEngine.BigQuery => Rest(name, n => BigQueryWarehouse.Create(n, ConnectionString(n), TimeProvider.System)),
        _ => new PostgresWarehouse(Get(name)),
    };

    /// <summary>The named warehouse for small parameterised queries (a push's history query on an engine other than PostgreSQL).</summary>
    public IWarehouseLookup Lookup(string name) => EngineOf(name) == WarehouseEngine.Postgres
        ? new PostgresLookup(Get(name))
        : _lookups.GetOrAdd(name, n => new(() => WarehouseLookups.Create(EngineOf(n), n, ConnectionString(n), TimeProvider.System))).Value.Lookup;

    private IWarehouseConnector Rest(string name, Func<string, (IWarehouseConnector Connector, IDisposable Http)> create) =>
        _rest.GetOrAdd(name, n => new(() => create(n))).Value.Connector;

    private string ConnectionString(string name) => configuration.GetConnectionString(name)
        ?? throw new InvalidOperationException($"the warehouse connection '{name}' is not configured; set ConnectionStrings__{name}");

    /// <summary>Once the named warehouse's old tracking state (if any) is in detectordb.</summary>
    public async Task ReadyAsync(string name, CancellationToken ct)
    {
        if (EngineOf(name) != WarehouseEngine.Postgres)
        {
            return; // no earlier version ran on another engine
        }

        var source = Get(name);
        var ready = _migrated.GetOrAdd(name, _ => new Lazy<Task>(() => MigrateAsync(name, source)));
        try
        {
            await ready.Value.WaitAsync(ct);
        }
        catch when (ready.Value.IsFaulted)
        {
            // A warehouse that was down gets another chance on the next run.
            _migrated.TryRemove(new KeyValuePair<string, Lazy<Task>>(name, ready));
            throw;
        }
    }

    private async Task MigrateAsync(string name, NpgsqlDataSource source)
    {
        var copied = await StateMigration.FromWarehouseAsync(state, name, source, CancellationToken.None);
        if (copied > 0)
        {
            logger.LogWarning("Moved {Rows} rows of tracking state from warehouse {Warehouse}'s contextpush schema to detectordb; " +
                "the warehouse is only read from now on, and that schema may be dropped", copied, name);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var source in _others.Values)
        {
            await source.DisposeAsync();
        }

        foreach (var rest in _rest.Values.Where(r => r.IsValueCreated))
        {
            rest.Value.Http.Dispose();
        }

        foreach (var lookup in _lookups.Values.Where(l => l.IsValueCreated))
        {
            lookup.Value.Owned?.Dispose();
        }
    }
}
