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
    private const string Recorded = """
        SELECT count(v), avg(v), stddev_samp(v) FROM (
            SELECT h.metrics[array_position(t.metric_names, @metric)] AS v
            FROM contextpush.metric_history h
            JOIN contextpush.tracked_metrics t ON t.push_id = h.push_id
            WHERE h.push_id = @push AND h.row_key = @key AND h.day >= @from_day AND h.day < @until_day
        ) x
        """;

    public async Task<MetricStats> StatsAsync(DeltaDetected delta, string metric, PrioritySettings settings, CancellationToken ct)
    {
        var until = delta.DetectedAt.UtcDateTime.Date;
        var from = until - settings.Window;
        var sql = settings.HistorySql is { } custom
            ? $"SELECT count(value), avg(value), stddev_samp(value) FROM (\n{custom}\n) h WHERE h.observed_at >= @from AND h.observed_at < @until"
            : Recorded;
        await using var command = warehouse.CreateCommand(sql);
        command.Parameters.AddWithValue("push", delta.PushId);
        command.Parameters.AddWithValue("key", delta.AccountKey);
        command.Parameters.AddWithValue("metric", metric);
        command.Parameters.AddWithValue("from", new DateTimeOffset(from, TimeSpan.Zero));
        command.Parameters.AddWithValue("until", new DateTimeOffset(until, TimeSpan.Zero));
        command.Parameters.AddWithValue("from_day", DateOnly.FromDateTime(from));
        command.Parameters.AddWithValue("until_day", DateOnly.FromDateTime(until));
        await using var reader = await command.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        var count = reader.GetInt64(0);
        return count == 0
            ? new MetricStats(0, null, 0)
            : new MetricStats(reader.GetDecimal(1), reader.IsDBNull(2) ? null : reader.GetDecimal(2), count);
    }
}
