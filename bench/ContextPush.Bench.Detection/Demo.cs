using System.Diagnostics;
using ContextPush.Contracts;
using MassTransit;
using Npgsql;

namespace ContextPush.Bench.Detection;

public static class Demo
{
    /// <summary>
    /// Changes 2% of all accounts so that each gives a delta: cohort members move beyond tolerance
    /// (or leave), others enter the cohort.
    /// </summary>
    public static async Task ChangeTwoPercentAsync(NpgsqlDataSource warehouse)
    {
        await using var command = warehouse.CreateCommand("""
            UPDATE accounts SET churn_probability = CASE WHEN churn_probability > 0.8 THEN round(churn_probability - 0.5, 4) ELSE 0.95 END
            WHERE id % 50 = 0;
            ANALYZE accounts;
            """);
        command.CommandTimeout = 600;
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Publishes <paramref name="count"/> realistic deltas in confirmed batches, as the Detector does.</summary>
    public static async Task<TimeSpan> PublishOnlyAsync(IBus bus, int count, int batchSize)
    {
        var settings = new Dictionary<string, string> { ["throttle:frequency"] = "7d" };
        var clock = Stopwatch.StartNew();
        for (var sent = 0; sent < count; sent += batchSize)
        {
            var batch = Enumerable.Range(sent, Math.Min(batchSize, count - sent)).Select(i => new DeltaDetected
            {
                CorrelationId = NewId.NextGuid(),
                DeltaId = NewId.NextGuid(),
                RunId = Guid.Empty,
                PushId = "publish-floor",
                Topic = "publish-floor",
                AccountKey = i.ToString(System.Globalization.CultureInfo.InvariantCulture),
                Kind = DeltaKind.Changed,
                Metrics = new Dictionary<string, decimal?> { ["churn_probability"] = 0.9m, ["usage_drop"] = 0.1m },
                PreviousMetrics = new Dictionary<string, decimal?> { ["churn_probability"] = 0.8m, ["usage_drop"] = 0.2m },
                DetectedAt = DateTimeOffset.UtcNow,
                Settings = settings,
            }).ToList();
            await bus.PublishBatch(batch);
        }

        return clock.Elapsed;
    }

    /// <summary>The floor: stream the cohort query's rows through Npgsql and touch every value.</summary>
    public static async Task<TimeSpan> BareReadAsync(NpgsqlDataSource warehouse, string cohortSql)
    {
        var clock = Stopwatch.StartNew();
        await using var command = warehouse.CreateCommand(cohortSql);
        command.CommandTimeout = 600;
        await using var reader = await command.ExecuteReaderAsync();
        long checksum = 0;
        while (await reader.ReadAsync())
        {
            for (var i = 0; i < reader.FieldCount; i++)
            {
                checksum += reader.GetValue(i).GetHashCode();
            }
        }

        GC.KeepAlive(checksum);
        return clock.Elapsed;
    }
}
