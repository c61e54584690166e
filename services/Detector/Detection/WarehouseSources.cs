using System.Collections.Concurrent;
using Npgsql;

namespace ContextPush.Detector.Detection;

/// <summary>
/// The warehouses pushes run on, by connection name ("warehouse" unless a push names another). Each
/// gets ContextPush's tracking schema once, since the diff joins the cohort with it in place.
/// </summary>
public sealed class WarehouseSources(NpgsqlDataSource defaultWarehouse, IConfiguration configuration) : IAsyncDisposable
{
    public const string DefaultName = "warehouse";

    private readonly ConcurrentDictionary<string, NpgsqlDataSource> _others = new();
    // Lazy: GetOrAdd may run a factory on racing threads, and two concurrent CREATE ... IF NOT EXISTS can still collide.
    private readonly ConcurrentDictionary<string, Lazy<Task>> _schemaReady = new();

    public NpgsqlDataSource Default => defaultWarehouse;

    /// <summary>The named warehouse, or an error that says which connection string to set.</summary>
    public NpgsqlDataSource Get(string name) => name == DefaultName
        ? defaultWarehouse
        : _others.GetOrAdd(name, n => NpgsqlDataSource.Create(configuration.GetConnectionString(n)
            ?? throw new InvalidOperationException($"the warehouse connection '{n}' is not configured; set ConnectionStrings__{n}")));

    public async Task<NpgsqlDataSource> ReadyAsync(string name, CancellationToken ct)
    {
        var source = Get(name);
        var ready = _schemaReady.GetOrAdd(name, _ => new Lazy<Task>(() => CreateSchemaAsync(source)));
        try
        {
            await ready.Value.WaitAsync(ct);
        }
        catch when (ready.Value.IsFaulted)
        {
            // A warehouse that was down gets another chance on the next run.
            _schemaReady.TryRemove(new KeyValuePair<string, Lazy<Task>>(name, ready));
            throw;
        }

        return source;
    }

    private static Task CreateSchemaAsync(NpgsqlDataSource source) => source.ApplySchemaAsync(TrackingSql.Schema, CancellationToken.None);

    public async ValueTask DisposeAsync()
    {
        foreach (var source in _others.Values)
        {
            await source.DisposeAsync();
        }
    }
}
