using System.Globalization;
using System.Text;
using ContextPush.Detector.Pushes;

namespace ContextPush.Detector.Detection;

/// <summary>
/// The SQL behind change detection. The cohort is materialised once per run into a temporary table
/// and joined against what was last notified, entirely inside PostgreSQL; C# only streams the
/// differences. Identifiers come from validated push files (lowercase, digits, underscores) and are
/// quoted as well.
/// </summary>
public static class TrackingSql
{
    public const string Schema = """
        CREATE SCHEMA IF NOT EXISTS contextpush;
        CREATE TABLE IF NOT EXISTS contextpush.push_state (
            push_id     text        NOT NULL,
            row_key     text        NOT NULL,
            metrics     jsonb       NOT NULL,
            notified_at timestamptz NOT NULL,
            PRIMARY KEY (push_id, row_key)
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
        """;

    /// <summary>Materialises the cohort as (row_key, metrics jsonb) for this session's transaction.</summary>
    public static string MaterializeCohort(PushDefinition push)
    {
        var key = string.Join(" || '|' || ", push.Key.Select(k => $"coalesce(cohort.{Quote(k)}::text, '')"));
        var metrics = string.Join(", ", push.Metrics.Select(m => $"'{m.Name}', cohort.{Quote(m.Name)}::numeric"));
        return $"""
            CREATE TEMP TABLE cp_cohort ON COMMIT DROP AS
            SELECT {key} AS row_key, jsonb_build_object({metrics}) AS metrics
            FROM (
            {push.CohortSql}
            ) AS cohort;
            CREATE UNIQUE INDEX ON cp_cohort (row_key);
            ANALYZE cp_cohort;
            """;
    }

    /// <summary>Entered (0), changed beyond tolerance (1) and left (2) rows, as a temporary table.</summary>
    public static string Diff(PushDefinition push, bool baseline)
    {
        if (baseline)
        {
            return "CREATE TEMP TABLE cp_deltas ON COMMIT DROP AS SELECT NULL::text AS row_key, 0 AS kind, NULL::jsonb AS metrics, NULL::jsonb AS previous WHERE false;";
        }

        var changed = new StringBuilder();
        foreach (var metric in push.Metrics)
        {
            var now = $"(c.metrics->>'{metric.Name}')::numeric";
            var before = $"(s.metrics->>'{metric.Name}')::numeric";
            var tolerance = metric.Tolerance.ToString(CultureInfo.InvariantCulture);
            if (changed.Length > 0)
            {
                changed.Append("\n           OR ");
            }

            changed.Append($"({now} IS NULL) <> ({before} IS NULL) OR abs({now} - {before}) > {tolerance}");
        }

        return $"""
            CREATE TEMP TABLE cp_deltas ON COMMIT DROP AS
            SELECT coalesce(c.row_key, s.row_key) AS row_key,
                   CASE WHEN s.row_key IS NULL THEN 0 WHEN c.row_key IS NULL THEN 2 ELSE 1 END AS kind,
                   c.metrics, s.metrics AS previous
            FROM cp_cohort c
            FULL JOIN (SELECT row_key, metrics FROM contextpush.push_state WHERE push_id = @push) s ON s.row_key = c.row_key
            WHERE s.row_key IS NULL OR c.row_key IS NULL
               OR {changed};
            """;
    }

    public const string ReadDeltas = "SELECT row_key, kind, metrics::text, previous::text FROM cp_deltas";

    /// <summary>Runs only after every delta was confirmed by the broker: the new "last notified" state.</summary>
    public static string RecordState(bool baseline) => baseline
        ? """
          DELETE FROM contextpush.push_state WHERE push_id = @push;
          INSERT INTO contextpush.push_state (push_id, row_key, metrics, notified_at)
          SELECT @push, row_key, metrics, now() FROM cp_cohort;
          """
        : """
          DELETE FROM contextpush.push_state s USING cp_deltas d
          WHERE s.push_id = @push AND d.row_key = s.row_key AND d.kind = 2;
          INSERT INTO contextpush.push_state (push_id, row_key, metrics, notified_at)
          SELECT @push, row_key, metrics, now() FROM cp_deltas WHERE kind IN (0, 1)
          ON CONFLICT (push_id, row_key) DO UPDATE SET metrics = excluded.metrics, notified_at = excluded.notified_at;
          """;

    public const string HasCompletedRun =
        "SELECT EXISTS (SELECT 1 FROM contextpush.push_runs WHERE push_id = @push AND status = 'succeeded')";

    private static string Quote(string identifier) => $"\"{identifier}\"";
}
