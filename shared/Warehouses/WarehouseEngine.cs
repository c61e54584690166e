namespace ContextPush.Warehouses;

/// <summary>The engines a warehouse can be read with.</summary>
public enum WarehouseEngine
{
    Postgres,
    MariaDb,
    Snowflake,
    BigQuery,
}

public static class WarehouseEngines
{
    /// <summary>The engine a setting names (postgres when unset), or an error that names the setting and the engines there are.</summary>
    public static WarehouseEngine Parse(string? value, string setting) => value?.ToLowerInvariant() switch
    {
        null or "" or "postgres" or "postgresql" => WarehouseEngine.Postgres,
        "mariadb" or "mysql" => WarehouseEngine.MariaDb,
        "snowflake" => WarehouseEngine.Snowflake,
        "bigquery" => WarehouseEngine.BigQuery,
        "redshift" => throw new InvalidOperationException(
            $"{setting} is 'redshift', which is not supported yet: Redshift has no array types, which the PostgreSQL reader uses (pushes/README.md, \"Redshift\")"),
        var other => throw new InvalidOperationException(
            $"{setting} is '{other}'; the engines are postgres, mariadb (also MySQL), snowflake and bigquery"),
    };
}
