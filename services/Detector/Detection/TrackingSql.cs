using ContextPush.PushFiles;
using System.Globalization;

namespace ContextPush.Detector.Detection;

/// <summary>
/// The SQL behind change detection. The cohort is copied once per run from the warehouse into a
/// session temporary table of detectordb and joined there against what was last notified; C# only
/// streams the rows in and the differences out. Identifiers come from validated push files (lowercase, digits,
/// underscores) and are quoted as well.
/// </summary>
public static class TrackingSql
{
    public const string Schema = """
        CREATE SCHEMA IF NOT EXISTS contextpush;
        CREATE TABLE IF NOT EXISTS contextpush.tracked_rows (
            push_id     text        NOT NULL,
            row_key     text        NOT NULL,
            metrics     numeric[]   NOT NULL,
            notified_at timestamptz NOT NULL,
            PRIMARY KEY (push_id, row_key)
        );
        CREATE TABLE IF NOT EXISTS contextpush.tracked_metrics (
            push_id      text   PRIMARY KEY,
            metric_names text[] NOT NULL
        );
        CREATE TABLE IF NOT EXISTS contextpush.push_runs (
            run_id         uuid        PRIMARY KEY,
            push_id        text        NOT NULL,
            trigger        text        NOT NULL,
            started_at     timestamptz NOT NULL,
            finished_at    timestamptz,
            status         text        NOT NULL,
            rows_read      bigint      NOT NULL DEFAULT 0,
            deltas_emitted bigint      NOT NULL DEFAULT 0,
            baseline       boolean     NOT NULL DEFAULT false,
            error          text
        );
        CREATE INDEX IF NOT EXISTS push_runs_push_started ON contextpush.push_runs (push_id, started_at DESC);
        CREATE TABLE IF NOT EXISTS contextpush.metric_history (
            push_id  text      NOT NULL,
            row_key  text      NOT NULL,
            day      date      NOT NULL,
            metrics  numeric[] NOT NULL,
            PRIMARY KEY (push_id, row_key, day)
        );
        CREATE INDEX IF NOT EXISTS metric_history_push_day ON contextpush.metric_history (push_id, day);
        CREATE TABLE IF NOT EXISTS contextpush.schedule_ticks (
            push_id    text        NOT NULL,
            due_at     timestamptz NOT NULL,
            claimed_by text        NOT NULL,
            claimed_at timestamptz NOT NULL DEFAULT now(),
            PRIMARY KEY (push_id, due_at)
        );
        CREATE TABLE IF NOT EXISTS contextpush.migrated_warehouses (
            warehouse   text        PRIMARY KEY,
            rows_copied bigint      NOT NULL,
            migrated_at timestamptz NOT NULL DEFAULT now()
        );
        """;

    /// <summary>
    /// Session temporary tables for one run in detectordb: the cohort, copied in from the warehouse, and
    /// its diff. Metrics are numeric arrays in the push's metric order: several times cheaper to build and
    /// compare than jsonb.
    /// </summary>
    public const string CreateWorkTables = """
        DROP TABLE IF EXISTS pg_temp.cp_cohort, pg_temp.cp_deltas;
        CREATE TEMP TABLE cp_cohort (row_key text NOT NULL, metrics numeric[] NOT NULL);
        CREATE TEMP TABLE cp_deltas (row_key text NOT NULL, kind int NOT NULL, metrics numeric[], previous numeric[]);
        """;

    public const string DropWorkTables = "DROP TABLE IF EXISTS pg_temp.cp_cohort, pg_temp.cp_deltas";

    public const string CopyCohort = "COPY cp_cohort (row_key, metrics) FROM STDIN (FORMAT BINARY)";

    /// <summary>The larger work_mem keeps the diff's hash join in one batch at a million rows.</summary>
    public const string DiffMemory = "SET LOCAL work_mem = '64MB'";

    /// <summary>On a warehouse: from here on the transaction cannot write, and the query is time-boxed.</summary>
    public static string ReadOnlyWithTimeout(TimeSpan timeout) => string.Create(CultureInfo.InvariantCulture,
        $"SET LOCAL transaction_read_only = on; SET LOCAL statement_timeout = {(long)timeout.TotalMilliseconds};");

    /// <summary>A key that is not unique would make deltas ambiguous: the run fails with the first duplicate.</summary>
    public const string FirstDuplicateKey = "SELECT row_key FROM cp_cohort GROUP BY row_key HAVING count(*) > 1 LIMIT 1";

    /// <summary>The cohort as (row_key, metrics[]), read from a PostgreSQL warehouse. A subquery cannot hold data-modifying statements.</summary>
    public static string CohortRows(PushDefinition push)
    {
        var key = string.Join(" || '|' || ", push.Key.Select(k => $"coalesce(cohort.{Quote(k)}::text, '')"));
        var metrics = string.Join(", ", push.Metrics.Select(m => $"cohort.{Quote(m.Name)}::numeric"));
        return $"""
            SELECT {key}, ARRAY[{metrics}]::numeric[]
            FROM (
            {push.CohortSql}
            ) AS cohort
            """;
    }

    /// <summary>
    /// Entered (0), changed beyond tolerance (1) and left (2) rows. All kinds are kept, even those the
    /// push does not send, so the tracked cohort stays true (a row that left and comes back enters again).
    /// </summary>
    public static string FillDeltas(PushDefinition push, bool baseline)
    {
        if (baseline)
        {
            return "SELECT 0";
        }

        var changed = string.Join("\n       OR ", push.Metrics.Select((m, i) => Moved(m, i + 1)));
        return $"""
            INSERT INTO cp_deltas (row_key, kind, metrics, previous)
            SELECT coalesce(c.row_key, s.row_key),
                   CASE WHEN s.row_key IS NULL THEN 0 WHEN c.row_key IS NULL THEN 2 ELSE 1 END,
                   c.metrics, s.metrics
            FROM cp_cohort c
            FULL JOIN (SELECT row_key, metrics FROM contextpush.tracked_rows WHERE push_id = @push) s ON s.row_key = c.row_key
            WHERE s.row_key IS NULL OR c.row_key IS NULL
               OR {changed}
            """;
    }

    /// <summary>Whether one metric moved beyond its tolerances since it was last notified.</summary>
    private static string Moved(MetricDefinition metric, int position)
    {
        var now = $"c.metrics[{position}]";
        var before = $"s.metrics[{position}]";
        var nullness = $"({now} IS NULL) <> ({before} IS NULL)";
        var beyond = new List<string>();
        if (metric.Tolerance is { } absolute)
        {
            beyond.Add($"abs({now} - {before}) > {absolute.ToString(CultureInfo.InvariantCulture)}");
        }

        if (metric.RelativeTolerance is { } relative)
        {
            beyond.Add($"abs({now} - {before}) > {relative.ToString(CultureInfo.InvariantCulture)} * abs({before})");
        }

        if (beyond.Count == 0)
        {
            beyond.Add($"{now} <> {before}");
        }

        return $"{nullness} OR {string.Join(" OR ", beyond)}";
    }

    public const string CountCohort = "SELECT count(*) FROM cp_cohort";

    /// <summary>One row of the cohort by its key, as a run would read it: for "why didn't I get this alert?".</summary>
    public static string CohortRow(PushDefinition push)
    {
        var key = string.Join(" || '|' || ", push.Key.Select(k => $"coalesce(cohort.{Quote(k)}::text, '')"));
        var metrics = string.Join(", ", push.Metrics.Select(m => $"cohort.{Quote(m.Name)}::numeric"));
        return $"""
            SELECT ARRAY[{metrics}]::numeric[]
            FROM (
            {push.CohortSql}
            ) AS cohort
            WHERE {key} = @key
            LIMIT 1
            """;
    }

    /// <summary>The last notified values of one row, in the tracked metric order.</summary>
    public const string TrackedRow = """
        SELECT r.metrics, r.notified_at, m.metric_names
        FROM contextpush.tracked_rows r JOIN contextpush.tracked_metrics m USING (push_id)
        WHERE r.push_id = @push AND r.row_key = @key
        """;

    /// <summary>One row's daily observations, newest first, and the days the push observed at all (a day without the row: not in the cohort).</summary>
    public const string RowHistory = """
        SELECT d.day, h.metrics
        FROM (SELECT DISTINCT day FROM contextpush.metric_history WHERE push_id = @push AND day >= @from) d
        LEFT JOIN contextpush.metric_history h ON h.push_id = @push AND h.row_key = @key AND h.day = d.day
        ORDER BY d.day DESC
        """;

    /// <summary>The deltas of the kinds the push sends.</summary>
    public static string ReadDeltas(PushDefinition push) =>
        $"SELECT row_key, kind, metrics, previous FROM cp_deltas WHERE kind IN ({Kinds(push)})";

    public static string CountDeltas(PushDefinition push) => $"SELECT count(*) FROM cp_deltas WHERE kind IN ({Kinds(push)})";

    private static string Kinds(PushDefinition push) =>
        string.Join(", ", push.Changes.Select(k => ((int)k).ToString(CultureInfo.InvariantCulture)));

    /// <summary>Runs only after every delta was confirmed by the broker: the new "last notified" state.</summary>
    public static string RecordState(bool baseline) => (baseline
        ? """
          DELETE FROM contextpush.tracked_rows WHERE push_id = @push;
          DELETE FROM contextpush.metric_history WHERE push_id = @push;
          INSERT INTO contextpush.tracked_rows (push_id, row_key, metrics, notified_at)
          SELECT @push, row_key, metrics, now() FROM cp_cohort;
          """
        : """
          DELETE FROM contextpush.tracked_rows s USING cp_deltas d
          WHERE s.push_id = @push AND d.row_key = s.row_key AND d.kind = 2;
          INSERT INTO contextpush.tracked_rows (push_id, row_key, metrics, notified_at)
          SELECT @push, row_key, metrics, now() FROM cp_deltas WHERE kind IN (0, 1)
          ON CONFLICT (push_id, row_key) DO UPDATE SET metrics = excluded.metrics, notified_at = excluded.notified_at;
          """) + """
          INSERT INTO contextpush.tracked_metrics (push_id, metric_names) VALUES (@push, @names)
          ON CONFLICT (push_id) DO UPDATE SET metric_names = excluded.metric_names;
          """;

    /// <summary>
    /// One observation per account and day (the values at the day's first run), for the Throttler's
    /// comparison of a value with the account's own history; kept 90 days. Written by the first run of
    /// each day only: writing the whole cohort at every run would cost a push on a short schedule more
    /// than its detection.
    /// </summary>
    public const string RecordHistory = """
        INSERT INTO contextpush.metric_history (push_id, row_key, day, metrics)
        SELECT @push, row_key, @day, metrics FROM cp_cohort
        WHERE NOT EXISTS (SELECT 1 FROM contextpush.metric_history WHERE push_id = @push AND day = @day)
        ON CONFLICT (push_id, row_key, day) DO NOTHING;
        DELETE FROM contextpush.metric_history WHERE push_id = @push AND day < @day - 90;
        """;

    /// <summary>
    /// Mean, sample standard deviation and count of each metric across the cohort, in one pass; rounded,
    /// as numeric's avg and stddev of values such as 1/3 carry more digits than a .NET decimal holds.
    /// </summary>
    public static string CohortStats(PushDefinition push) => "SELECT " + string.Join(", ", push.Metrics.Select((_, i) =>
        string.Create(CultureInfo.InvariantCulture, $"round(avg(metrics[{i + 1}]), 12), round(stddev_samp(metrics[{i + 1}]), 12), count(metrics[{i + 1}])"))) + " FROM cp_cohort";

    /// <summary>The metric names the tracked arrays are in; a different list means a new baseline.</summary>
    public const string TrackedMetricNames = "SELECT metric_names FROM contextpush.tracked_metrics WHERE push_id = @push";

    /// <summary>Held for the whole run on its session, so a push runs at most once at a time across replicas.</summary>
    public const string TryLockPush = "SELECT pg_try_advisory_lock(hashtext('contextpush.push'), hashtext(@push))";

    public const string UnlockPush = "SELECT pg_advisory_unlock(hashtext('contextpush.push'), hashtext(@push))";

    /// <summary>The first replica to claim a cron slot runs it; the others see the row and skip.</summary>
    public const string ClaimTick = """
        INSERT INTO contextpush.schedule_ticks (push_id, due_at, claimed_by) VALUES (@push, @due, @replica)
        ON CONFLICT DO NOTHING
        """;

    private static string Quote(string identifier) => $"\"{identifier}\"";
}
