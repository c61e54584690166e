using System.Globalization;
using ContextPush.Contracts;
using ContextPush.Detector.Detection;
using ContextPush.Detector.Runs;
using ContextPush.Detector.State;
using ContextPush.PushFiles;
using ContextPush.Warehouses;
using Microsoft.Extensions.Options;
using Npgsql;

namespace ContextPush.Detector.Pushes;

/// <summary>Tells one account's story in one push from the tracking state and, read-only, the warehouse now.</summary>
public sealed class AccountStories(WarehouseSources warehouses, DetectorState state, RunStore runs, IOptions<DetectorOptions> options, TimeProvider clock)
{
    private const int Days = 30;
    private const int RecentRuns = 10;

    public async Task<AccountStory> TellAsync(PushDefinition push, string account, CancellationToken ct)
    {
        await warehouses.ReadyAsync(push.Warehouse, ct);
        var (now, liveError) = warehouses.EngineOf(push.Warehouse) == WarehouseEngine.Postgres
            ? await LiveAsync(push, account, ct)
            : await LiveThroughConnectorAsync(push, account, ct);
        await using var tracking = await state.OpenConnectionAsync(ct);
        var (notified, notifiedAt) = await NotifiedAsync(tracking, push.Id, account, ct);
        var days = await DaysAsync(tracking, push, account, ct);
        var recent = await runs.ListAsync(push.Id, null, RecentRuns, ct);

        var comparisons = push.Metrics.Select(m => Compare(m, now, notified)).ToList();
        return new AccountStory
        {
            PushId = push.Id,
            Account = account,
            InCohortNow = liveError is null ? now is not null : null,
            LiveError = liveError,
            NotifiedAt = notifiedAt,
            Metrics = comparisons,
            Verdict = Verdict(push, liveError, now, notified, comparisons),
            Days = days,
            Runs = [.. recent.Select(r => new AccountInRun(r.RunId, r.StartedAt, r.Status, r.RowsRead, r.DeltasEmitted,
                r.Status == "succeeded" && notifiedAt is { } at && r.FinishedAt >= at ? true : null))],
        };
    }

    private async Task<(Dictionary<string, decimal?>? Now, string? Error)> LiveAsync(PushDefinition push, string account, CancellationToken ct)
    {
        var timeout = push.Timeout ?? options.Value.DefaultStatementTimeout;
        await using var connection = await warehouses.Get(push.Warehouse).OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        try
        {
            await using (var readOnly = new NpgsqlCommand(TrackingSql.ReadOnlyWithTimeout(timeout), connection, transaction))
            {
                await readOnly.ExecuteNonQueryAsync(ct);
            }

            await using var row = new NpgsqlCommand(TrackingSql.CohortRow(push), connection, transaction);
            row.Parameters.AddWithValue("key", account);
            await using var reader = await row.ExecuteReaderAsync(ct);
            return (await reader.ReadAsync(ct) ? Named(push.Metrics.Select(m => m.Name).ToList(), reader.GetFieldValue<decimal?[]>(0)) : null, null);
        }
        catch (PostgresException e)
        {
            return (null, $"the cohort query failed: {e.MessageText}");
        }
    }

    /// <summary>
    /// The live row from a warehouse that cannot be asked for one key of a cohort (Snowflake, BigQuery,
    /// MariaDB run the cohort as written): the cohort is read as a run reads it, within the push's timeout,
    /// and the account's row kept.
    /// </summary>
    private async Task<(Dictionary<string, decimal?>? Now, string? Error)> LiveThroughConnectorAsync(PushDefinition push, string account, CancellationToken ct)
    {
        var timeout = push.Timeout ?? options.Value.DefaultStatementTimeout;
        try
        {
            await foreach (var row in warehouses.Connector(push.Warehouse).ReadCohortAsync(push, timeout, ct))
            {
                if (row.Key == account)
                {
                    return (Named([.. push.Metrics.Select(m => m.Name)], row.Metrics), null);
                }
            }

            return (null, null);
        }
        catch (Exception e) when (e is PushRunFailedException or WarehouseUnavailableException)
        {
            return (null, e.Message);
        }
    }

    private static async Task<(Dictionary<string, decimal?>? Metrics, DateTimeOffset? At)> NotifiedAsync(NpgsqlConnection connection, string pushId,
        string account, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(TrackingSql.TrackedRow, connection);
        command.Parameters.AddWithValue("push", pushId);
        command.Parameters.AddWithValue("key", account);
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct)
            ? (Named(reader.GetFieldValue<string[]>(2), reader.GetFieldValue<decimal?[]>(0)), reader.GetFieldValue<DateTimeOffset>(1))
            : (null, null);
    }

    private async Task<List<ObservedDay>> DaysAsync(NpgsqlConnection connection, PushDefinition push, string account, CancellationToken ct)
    {
        // The history arrays are in the tracked order, which is the push's unless its metrics changed (then a new baseline began).
        await using var command = new NpgsqlCommand(TrackingSql.RowHistory, connection);
        command.Parameters.AddWithValue("push", push.Id);
        command.Parameters.AddWithValue("key", account);
        command.Parameters.AddWithValue("from", DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime).AddDays(-Days));
        var names = push.Metrics.Select(m => m.Name).ToList();
        var days = new List<ObservedDay>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var values = reader.IsDBNull(1) ? null : reader.GetFieldValue<decimal?[]>(1);
            days.Add(new ObservedDay(reader.GetFieldValue<DateOnly>(0), values is not null, values is null ? null : Named(names, values)));
        }

        return days;
    }

    private static MetricComparison Compare(MetricDefinition metric, Dictionary<string, decimal?>? now, Dictionary<string, decimal?>? notified)
    {
        var (current, before) = (now?.GetValueOrDefault(metric.Name), notified?.GetValueOrDefault(metric.Name));
        if (now is null || notified is null)
        {
            return new MetricComparison(metric.Name, current, before, metric.Tolerance, metric.RelativeTolerance, null,
                now is null ? "not in the cohort now" : "never notified");
        }

        var tolerance = metric.Tolerance is null && metric.RelativeTolerance is null ? null : new MetricTolerance(metric.Tolerance, metric.RelativeTolerance);
        var moved = new MetricMove(metric.Name, before, current, tolerance).Moved;
        return new MetricComparison(metric.Name, current, before, metric.Tolerance, metric.RelativeTolerance, moved, Describe(metric, current, before, moved));
    }

    private static string Describe(MetricDefinition metric, decimal? now, decimal? before, bool moved)
    {
        if (now is not { } n || before is not { } b)
        {
            return moved ? "went in or out of null: a change" : "null then and now";
        }

        var move = Math.Abs(n - b);
        var bound = string.Join(" or ", new[]
        {
            metric.Tolerance is { } a ? T(a) : null,
            metric.RelativeTolerance is { } r ? $"{T(r * 100)}% of {T(b)} ({T(r * Math.Abs(b))})" : null,
        }.OfType<string>());
        return (moved, bound.Length) switch
        {
            (false, 0) => $"{T(n)}, as notified: no change",
            (true, 0) => $"{T(n)}, notified {T(b)}: any move counts, so a change",
            (false, _) => $"{T(n)}, notified {T(b)}: moved {T(move)}, within tolerance ({bound}), so no delta",
            _ => $"{T(n)}, notified {T(b)}: moved {T(move)}, beyond tolerance ({bound}), so a change",
        };
    }

    /// <summary>Numeric columns come back with their scale (0.9000); people read 0.9.</summary>
    private static string T(decimal value) => value.ToString("0.##########", CultureInfo.InvariantCulture);

    private static string Verdict(PushDefinition push, string? liveError, Dictionary<string, decimal?>? now, Dictionary<string, decimal?>? notified,
        List<MetricComparison> comparisons) => (liveError, now, notified) switch
        {
            ({ } error, _, _) => $"unknown now: {error}",
            (_, null, null) => "not in the cohort now, and not tracked: no delta",
            (_, null, _) => push.Changes.Contains(DeltaKind.Left) ? "tracked but no longer in the cohort: the next run sends it as left" : "tracked but no longer in the cohort: the next run forgets it (this push does not send left)",
            (_, _, null) => push.Changes.Contains(DeltaKind.Entered) ? "in the cohort but not tracked: the next run sends it as entered (or records it, if that run is a baseline)" : "in the cohort but not tracked: the next run records it (this push does not send entered)",
            _ when comparisons.Any(c => c.Moved == true) => push.Changes.Contains(DeltaKind.Changed)
                ? $"moved beyond tolerance on {string.Join(", ", comparisons.Where(c => c.Moved == true).Select(c => c.Metric))}: the next run sends a change"
                : "moved beyond tolerance, but this push does not send changes",
            _ => "in the cohort and within tolerance of what was last notified: no delta",
        };

    private static Dictionary<string, decimal?> Named(IReadOnlyList<string> names, decimal?[] values) =>
        names.Select((n, i) => (n, i)).ToDictionary(x => x.n, x => x.i < values.Length ? values[x.i] : null);
}
