using Npgsql;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Connection settings for the databases a service queries for every delta (measured with
/// bench/ContextPush.Bench.Pipeline: half of all statements were the pool's DISCARD ALL).
/// </summary>
public static class NpgsqlPerDelta
{
    /// <summary>Connections per database per replica, unless the connection string sets Maximum Pool Size.</summary>
    public const int MaxPoolSize = 20;

    /// <summary>
    /// No reset when a connection goes back to the pool: these services keep no session state (no SET,
    /// temporary tables or session-level locks; the schema lock is transaction-scoped), so DISCARD ALL
    /// was a round trip per use that bought nothing. Statements repeat for every delta, so they are
    /// prepared once per connection instead of parsed and planned every time. A connection string that
    /// says otherwise wins (e.g. Max Auto Prepare=0 behind a transaction-pooling PgBouncer).
    /// </summary>
    public static void Configure(NpgsqlDataSourceBuilder builder)
    {
        var given = builder.ConnectionString;
        var settings = builder.ConnectionStringBuilder;
        if (!Says(given, "No Reset On Close", "NoResetOnClose"))
        {
            settings.NoResetOnClose = true;
        }

        // Each delta holds a connection only for one statement at a time, so a few connections serve many
        // concurrent deltas; Npgsql's default of 100 let one Assembler (64 deltas at once, owner and tickets
        // in parallel) take a whole default PostgreSQL server's connections.
        if (!Says(given, "Maximum Pool Size", "Max Pool Size", "MaxPoolSize"))
        {
            settings.MaxPoolSize = MaxPoolSize;
        }

        if (!Says(given, "Max Auto Prepare", "MaxAutoPrepare"))
        {
            settings.MaxAutoPrepare = 64;
            settings.AutoPrepareMinUsages = 2;
        }
    }

    private static bool Says(string connectionString, params string[] keys) =>
        keys.Any(k => connectionString.Contains(k, StringComparison.OrdinalIgnoreCase));
}
