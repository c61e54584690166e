using ContextPush.Contracts;
using Npgsql;

namespace ContextPush.Throttler.Throttling;

/// <summary>
/// An account's history of a metric, reduced to mean, sample standard deviation and count inside the
/// warehouse (set-based), from the push's history query when it gives one, else from the daily
/// values the Detector recorded. Only observations before the delta's own day count.
/// </summary>
public sealed class MetricHistory([FromKeyedServices("warehouse")] NpgsqlDataSource warehouse)
{
    /// <summary>The recorded daily values of each metric asked for, reduced in one round trip.</summary>
    private const string Recorded = """
        SELECT m.metric, count(x.v), avg(x.v), stddev_samp(x.v)
        FROM unnest(@metrics::text[]) AS m(metric)
        LEFT JOIN LATERAL (
            SELECT h.metrics[array_position(t.metric_names, m.metric)] AS v
            FROM contextpush.metric_history h
            JOIN contextpush.tracked_metrics t ON t.push_id = h.push_id
            WHERE h.push_id = @push AND h.row_key = @key AND h.day >= @from_day AND h.day < @until_day
        ) x ON true
        GROUP BY m.metric
        """;

    public async Task<MetricStats> StatsAsync(DeltaDetected delta, string metric, PrioritySettings settings, CancellationToken ct) =>
        (await StatsAsync(delta, [metric], settings, ct))[metric];

    /// <summary>
    /// Each metric's stats: the recorded history for all of them in one query (a delta usually watches
    /// several), a push's own history query once per metric.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, MetricStats>> StatsAsync(DeltaDetected delta, IReadOnlyList<string> metrics, PrioritySettings settings, CancellationToken ct)
    {
        var until = delta.DetectedAt.UtcDateTime.Date;
        var from = until - settings.Window;
        var stats = new Dictionary<string, MetricStats>();
        if (metrics.Count == 0)
        {
            return stats;
        }

        if (settings.HistorySql is not { } custom)
        {
            await using var recorded = warehouse.CreateCommand(Recorded);
            recorded.Parameters.AddWithValue("push", delta.PushId);
            recorded.Parameters.AddWithValue("key", delta.AccountKey);
            recorded.Parameters.AddWithValue("metrics", metrics.ToArray());
            recorded.Parameters.AddWithValue("from_day", DateOnly.FromDateTime(from));
            recorded.Parameters.AddWithValue("until_day", DateOnly.FromDateTime(until));
            await using var reader = await recorded.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                stats[reader.GetString(0)] = Read(reader, 1);
            }

            return stats;
        }

        foreach (var metric in metrics)
        {
            await using var command = warehouse.CreateCommand(
                $"SELECT count(value), avg(value), stddev_samp(value) FROM (\n{custom}\n) h WHERE h.observed_at >= @from AND h.observed_at < @until");
            command.Parameters.AddWithValue("push", delta.PushId);
            command.Parameters.AddWithValue("key", delta.AccountKey);
            command.Parameters.AddWithValue("metric", metric);
            command.Parameters.AddWithValue("from", new DateTimeOffset(from, TimeSpan.Zero));
            command.Parameters.AddWithValue("until", new DateTimeOffset(until, TimeSpan.Zero));
            await using var reader = await command.ExecuteReaderAsync(ct);
            await reader.ReadAsync(ct);
            stats[metric] = Read(reader, 0);
        }

        return stats;
    }

    private static MetricStats Read(NpgsqlDataReader reader, int first)
    {
        var count = reader.GetInt64(first);
        return count == 0
            ? new MetricStats(0, null, 0)
            : new MetricStats(reader.GetDecimal(first + 1), reader.IsDBNull(first + 2) ? null : reader.GetDecimal(first + 2), count);
    }
}
