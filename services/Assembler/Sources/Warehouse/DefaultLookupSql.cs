using ContextPush.Warehouses;

namespace ContextPush.Assembler.Sources.Warehouse;

/// <summary>
/// The lookups a warehouse gets unless configured or a push gives its own: the same question in each
/// engine's dialect, since the key arrives as text and each casts it to the id's type its own way
/// (BIGINT is also a name of INT64 in BigQuery and of NUMBER(38,0) in Snowflake).
/// </summary>
public static class DefaultLookupSql
{
    public static string Owner(WarehouseEngine engine) => $"""
        SELECT a.name AS account_name, a.crm_url, o.name AS owner_name, o.email AS owner_email, o.slack_user_id
        FROM accounts a LEFT JOIN owners o ON o.id = a.owner_id
        WHERE a.id = {Key(engine)}
        """;

    public static string Tickets(WarehouseEngine engine) => $"""
        SELECT subject, priority, status, created_at
        FROM tickets WHERE account_id = {Key(engine)}
        ORDER BY created_at DESC LIMIT @limit
        """;

    private static string Key(WarehouseEngine engine) => engine switch
    {
        WarehouseEngine.Postgres => "@key::bigint",
        WarehouseEngine.MariaDb => "CAST(@key AS SIGNED)",
        _ => "CAST(@key AS BIGINT)",
    };
}
