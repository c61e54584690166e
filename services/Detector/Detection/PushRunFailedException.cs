using Npgsql;

namespace ContextPush.Detector.Detection;

/// <summary>A run that failed for a reason the push's author can fix, worded for them.</summary>
public sealed class PushRunFailedException(string message, Exception? inner) : Exception(message, inner)
{
    /// <summary>Translates PostgreSQL's errors about the cohort query into what to change in the push file.</summary>
    public static Exception From(string pushId, TimeSpan timeout, Exception e) => e switch
    {
        PostgresException { SqlState: PostgresErrorCodes.QueryCanceled } => new PushRunFailedException(
            $"push {pushId}: the cohort query ran longer than its timeout of {timeout.TotalSeconds:0.#}s and was cancelled; make it faster or raise 'timeout' in the push file", e),
        PostgresException { SqlState: PostgresErrorCodes.ReadOnlySqlTransaction } => new PushRunFailedException(
            $"push {pushId}: the cohort query tried to write; a cohort may only read", e),
        PostgresException p => new PushRunFailedException($"push {pushId}: the cohort query failed: {p.MessageText}", e),
        _ => e,
    };
}
