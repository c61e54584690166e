using System.Globalization;

namespace ContextPush.Detector.Runs;

/// <summary>Where a page of a push's runs ended: the last run's start and id, as "2026-11-30T08:00:00.0000000+00:00~&lt;run id&gt;".</summary>
public static class RunCursor
{
    public static string Of(RunRecord run) => $"{run.StartedAt.ToString("O", CultureInfo.InvariantCulture)}~{run.RunId:N}";

    public static (DateTimeOffset StartedAt, Guid RunId)? Parse(string cursor) =>
        cursor.Split('~') is [var at, var id]
        && DateTimeOffset.TryParseExact(at, "O", CultureInfo.InvariantCulture, DateTimeStyles.None, out var startedAt)
        && Guid.TryParseExact(id, "N", out var runId)
            ? (startedAt, runId)
            : null;
}
