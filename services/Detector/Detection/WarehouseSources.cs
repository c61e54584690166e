using System.Collections.Concurrent;
using ContextPush.Detector.State;
using ContextPush.Detector.Warehouses;
using Npgsql;

namespace ContextPush.Detector.Detection;

/// <summary>
/// The warehouses pushes run on, by connection name ("warehouse" unless a push names another). They are
/// only read; before a warehouse is first used, the tracking state an earlier version kept in it is
/// moved to detectordb (<see cref="StateMigration"/>).
/// </summary>
public sealed class WarehouseSources(NpgsqlDataSource defaultWarehouse, DetectorState state, IConfiguration configuration,
    ILogger<WarehouseSources> logger) : IAsyncDisposable
{
    public const string DefaultName = "warehouse";

    private readonly ConcurrentDictionary<string, NpgsqlDataSource> _others = new();
    // Lazy: GetOrAdd may run a factory on racing threads.
    private readonly ConcurrentDictionary<string, Lazy<Task>> _migrated = new();

    public NpgsqlDataSource Default => defaultWarehouse;

    /// <summary>The named warehouse, or an error that says which connection string to set.</summary>
    public NpgsqlDataSource Get(string name) => name == DefaultName
        ? defaultWarehouse
        : _others.GetOrAdd(name, n => NpgsqlDataSource.Create(configuration.GetConnectionString(n)
            ?? throw new InvalidOperationException($"the warehouse connection '{n}' is not configured; set ConnectionStrings__{n}")));

    /// <summary>The named warehouse's cohort reader.</summary>
    public IWarehouseConnector Connector(string name) => new PostgresWarehouse(Get(name));

    /// <summary>The named warehouse, once its old tracking state (if any) is in detectordb.</summary>
    public async Task<NpgsqlDataSource> ReadyAsync(string name, CancellationToken ct)
    {
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

        return source;
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
    }
}
