using ContextPush.Warehouses;
using ContextPush.Warehouses.Lookups;
using Npgsql;

namespace ContextPush.Assembler.Sources.Warehouse;

/// <summary>
/// The warehouse the context comes from, of the engine <c>Assembler:WarehouseEngine</c> names, through
/// the same clients the Detector reads cohorts with. A PostgreSQL warehouse uses the host's data source
/// (with its pool settings and traces); the others own an HTTP client or open their own connections.
/// </summary>
public sealed class AssemblerWarehouse : IDisposable
{
    public const string ConnectionName = "warehouse";

    private readonly IDisposable? _owned;

    public AssemblerWarehouse(IServiceProvider services, IConfiguration configuration)
    {
        Engine = EngineOf(configuration);
        if (Engine == WarehouseEngine.Postgres)
        {
            Lookup = new PostgresLookup(services.GetRequiredService<NpgsqlDataSource>());
            return;
        }

        var connectionString = configuration.GetConnectionString(ConnectionName)
            ?? throw new InvalidOperationException($"the warehouse connection is not configured; set ConnectionStrings__{ConnectionName}");
        (Lookup, _owned) = WarehouseLookups.Create(Engine, ConnectionName, connectionString, TimeProvider.System);
    }

    public WarehouseEngine Engine { get; }

    public IWarehouseLookup Lookup { get; }

    public static WarehouseEngine EngineOf(IConfiguration configuration) =>
        WarehouseEngines.Parse(configuration[$"{AssemblerOptions.SectionName}:WarehouseEngine"], "Assembler__WarehouseEngine");

    public void Dispose() => _owned?.Dispose();
}
