using ContextPush.Contracts;
using ContextPush.PushFiles;
using ContextPush.Warehouses;
using ContextPush.Warehouses.Lookups;

namespace ContextPush.Detector.Detection;

/// <summary>
/// A push's own history query (throttle.priority.history_sql) on a MariaDB, Snowflake or BigQuery
/// warehouse, reduced to mean, sample standard deviation and count in the warehouse, once per account
/// and metric as on PostgreSQL (<see cref="AccountHistory"/>). The query returns <c>observed_at</c> (a
/// timestamp, UTC) and <c>value</c> for @push, @key and @metric; the window's bounds are bound in the
/// engine's way (Snowflake binds text, which the SQL casts).
/// </summary>
public static class WarehouseHistory
{
    public static string Reduced(string custom, WarehouseEngine engine)
    {
        var (from, until) = engine == WarehouseEngine.Snowflake ? ("CAST(@from AS TIMESTAMP)", "CAST(@until AS TIMESTAMP)") : ("@from", "@until");
        return $"""
            SELECT COUNT(h.value) AS observations, AVG(h.value) AS mean, STDDEV_SAMP(h.value) AS spread FROM (
            {custom}
            ) h WHERE h.observed_at >= {from} AND h.observed_at < {until}
            """;
    }

    /// <summary>Sets <see cref="DeltaDetected.History"/> on each delta of the batch but those that left.</summary>
    public static async Task AddAsync(IWarehouseLookup warehouse, WarehouseEngine engine, PushDefinition push, List<DeltaDetected> batch, TimeSpan timeout,
        CancellationToken ct)
    {
        var settings = push.TypedSettings.Throttle.Priority;
        string[] metrics = settings.Metric is { } one ? [one] : [.. push.Metrics.Select(m => m.Name)];
        var sql = Reduced(settings.HistorySql!, engine);
        for (var i = 0; i < batch.Count; i++)
        {
            var delta = batch[i];
            if (delta.Kind == DeltaKind.Left)
            {
                continue;
            }

            var until = new DateTimeOffset(delta.DetectedAt.UtcDateTime.Date, TimeSpan.Zero);
            var history = new Dictionary<string, MetricStats>();
            foreach (var metric in metrics)
            {
                var rows = await warehouse.QueryAsync(sql,
                    [new("push", push.Id), new("key", delta.AccountKey), new("metric", metric), new("from", until - settings.Window), new("until", until)], timeout, ct);
                var row = rows[0];
                var count = (long)(row.Number("observations") ?? 0);
                history[metric] = count == 0 ? new MetricStats(0, null, 0) : new MetricStats(row.Number("mean") ?? 0, row.Number("spread"), count);
            }

            batch[i] = delta with { History = history };
        }
    }
}
