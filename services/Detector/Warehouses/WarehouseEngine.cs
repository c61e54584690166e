namespace ContextPush.Detector.Warehouses;

/// <summary>The engines a warehouse can be read with.</summary>
public enum WarehouseEngine
{
    Postgres,
    MariaDb,
    Snowflake,
    BigQuery,
}
