using ContextPush.Contracts;
using ContextPush.PushFiles;
using Npgsql;

namespace ContextPush.Detector.Detection;

/// <summary>
/// Each delta's metric history, reduced to mean, sample standard deviation and count before it is
/// published, so the Throttler judges a change without reading the warehouse: from the daily values the
/// Detector recorded (one set-based query per batch of deltas), or from the push's own history query.
/// Only observations before the delta's day, within the push's priority window, count.
/// </summary>
public static class AccountHistory
{
    /// <summary>The recorded daily values of every (account, metric) of a batch, reduced in one round trip.</summary>
    private const string Recorded = """
        SELECT k.row_key, m.metric, count(x.v), avg(x.v), stddev_samp(x.v)
        FROM unnest(@keys::text[]) AS k(row_key)
        CROSS JOIN unnest(@metrics::text[]) AS m(metric)
        LEFT JOIN LATERAL (
            SELECT h.metrics[array_position(t.metric_names, m.metric)] AS v
            FROM contextpush.metric_history h
            JOIN contextpush.tracked_metrics t ON t.push_id = h.push_id
            WHERE h.push_id = @push AND h.row_key = k.row_key AND h.day >= @from_day AND h.day < @until_day
        ) x ON true
        GROUP BY k.row_key, m.metric
        """;

    /// <summary>Whether the push's priority rule reads history at all: only then do its deltas carry it.</summary>
    public static bool IsNeeded(PushDefinition push) => push.TypedSettings.Throttle.Priority.Mode == "history";

    /// <summary>Sets <see cref="DeltaDetected.History"/> on each delta of the batch that has values to judge.</summary>
    public static Task AddAsync(NpgsqlDataSource state, NpgsqlDataSource warehouse, PushDefinition push, List<DeltaDetected> batch, TimeSpan timeout,
        CancellationToken ct) =>
        AddAsync(state, warehouse, push.Id, push.TypedSettings.Throttle.Priority, [.. push.Metrics.Select(m => m.Name)], batch, timeout, ct);

    /// <summary>
    /// The same for a push given by its id, priority settings and metric names: the recorded history is
    /// read from detectordb (<paramref name="state"/>), a push's history query from its warehouse.
    /// </summary>
    public static async Task AddAsync(NpgsqlDataSource state, NpgsqlDataSource warehouse, string pushId, PrioritySettings settings, IReadOnlyList<string> metricNames,
        List<DeltaDetected> batch, TimeSpan timeout, CancellationToken ct)
    {
        string[] metrics = settings.Metric is { } one ? [one] : [.. metricNames];
        var judged = batch.Select((delta, index) => (delta, index)).Where(d => d.delta.Kind != DeltaKind.Left).ToList();
        if (judged.Count == 0 || metrics.Length == 0)
        {
            return;
        }

        await using var connection = await (settings.HistorySql is null ? state : warehouse).OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await using (var bounds = new NpgsqlCommand(TrackingSql.ReadOnlyWithTimeout(timeout), connection))
        {
            await bounds.ExecuteNonQueryAsync(ct);
        }

        foreach (var day in judged.GroupBy(d => d.delta.DetectedAt.UtcDateTime.Date))
        {
            var history = settings.HistorySql is { } custom
                ? await CustomAsync(connection, pushId, custom, [.. day.Select(d => d.delta.AccountKey)], metrics, day.Key, settings.Window, ct)
                : await RecordedAsync(connection, pushId, [.. day.Select(d => d.delta.AccountKey)], metrics, day.Key, settings.Window, ct);
            foreach (var (delta, index) in day)
            {
                batch[index] = delta with
                {
                    History = metrics.ToDictionary(m => m, m => history.GetValueOrDefault((delta.AccountKey, m)) ?? new MetricStats(0, null, 0)),
                };
            }
        }

        await transaction.CommitAsync(ct);
    }

    private static async Task<Dictionary<(string Key, string Metric), MetricStats>> RecordedAsync(NpgsqlConnection connection, string push,
        string[] keys, string[] metrics, DateTime until, TimeSpan window, CancellationToken ct)
    {
        var stats = new Dictionary<(string, string), MetricStats>();
        await using var command = new NpgsqlCommand(Recorded, connection);
        command.Parameters.AddWithValue("push", push);
        command.Parameters.AddWithValue("keys", keys);
        command.Parameters.AddWithValue("metrics", metrics);
        command.Parameters.AddWithValue("from_day", DateOnly.FromDateTime(until - window));
        command.Parameters.AddWithValue("until_day", DateOnly.FromDateTime(until));
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            stats[(reader.GetString(0), reader.GetString(1))] = Read(reader, 2);
        }

        return stats;
    }

    /// <summary>The push's history query, once per account and metric: it is written for one of each (@push, @key, @metric).</summary>
    private static async Task<Dictionary<(string Key, string Metric), MetricStats>> CustomAsync(NpgsqlConnection connection, string push, string custom,
        string[] keys, string[] metrics, DateTime until, TimeSpan window, CancellationToken ct)
    {
        var stats = new Dictionary<(string, string), MetricStats>();
        var sql = $"SELECT count(value), avg(value), stddev_samp(value) FROM (\n{custom}\n) h WHERE h.observed_at >= @from AND h.observed_at < @until";
        foreach (var key in keys)
        {
            foreach (var metric in metrics)
            {
                await using var command = new NpgsqlCommand(sql, connection);
                command.Parameters.AddWithValue("push", push);
                command.Parameters.AddWithValue("key", key);
                command.Parameters.AddWithValue("metric", metric);
                command.Parameters.AddWithValue("from", new DateTimeOffset(until - window, TimeSpan.Zero));
                command.Parameters.AddWithValue("until", new DateTimeOffset(until, TimeSpan.Zero));
                await using var reader = await command.ExecuteReaderAsync(ct);
                await reader.ReadAsync(ct);
                stats[(key, metric)] = Read(reader, 0);
            }
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
