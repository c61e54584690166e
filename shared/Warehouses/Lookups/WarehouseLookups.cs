using ContextPush.Warehouses.BigQuery;
using ContextPush.Warehouses.Snowflake;
using MySqlConnector;

namespace ContextPush.Warehouses.Lookups;

/// <summary>The lookup for a warehouse of each engine but PostgreSQL, whose data source the host registers with its telemetry.</summary>
public static class WarehouseLookups
{
    /// <summary>The lookup for <paramref name="connectionString"/>, with what it owns (an HTTP client), which the caller disposes.</summary>
    public static (IWarehouseLookup Lookup, IDisposable? Owned) Create(WarehouseEngine engine, string name, string connectionString, TimeProvider clock)
    {
        switch (engine)
        {
            case WarehouseEngine.MariaDb:
                _ = new MySqlConnectionStringBuilder(connectionString); // a malformed one fails at start, not on the first delta
                return (new MariaDbLookup(connectionString), null);
            case WarehouseEngine.Snowflake:
                var (statements, snowflake) = SnowflakeStatements.Create(name, connectionString, clock);
                return (new SnowflakeLookup(statements), snowflake);
            case WarehouseEngine.BigQuery:
                var (jobs, bigQuery) = BigQueryJobs.Create(name, connectionString, clock);
                return (new BigQueryLookup(jobs), bigQuery);
            default:
                throw new ArgumentException("a PostgreSQL warehouse is looked up through the host's NpgsqlDataSource (PostgresLookup)", nameof(engine));
        }
    }
}
