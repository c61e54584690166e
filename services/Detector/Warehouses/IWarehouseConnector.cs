using ContextPush.PushFiles;

namespace ContextPush.Detector.Warehouses;

/// <summary>
/// How the Detector reads a warehouse: a push's cohort, streamed as typed rows, read-only and within the
/// push's timeout. Everything else (the diff, the state) happens in detectordb, so an engine needs no
/// more than this.
/// </summary>
public interface IWarehouseConnector
{
    /// <summary>
    /// The cohort's rows. A query that fails, writes or runs past <paramref name="timeout"/> throws a
    /// <see cref="Detection.PushRunFailedException"/> worded for the push's author; a lost connection
    /// throws the engine's transient error, which the run tries again.
    /// </summary>
    IAsyncEnumerable<CohortRow> ReadCohortAsync(PushDefinition push, TimeSpan timeout, CancellationToken ct);

    /// <summary>
    /// The columns the cohort query returns, from a run that reads no row, read-only. An error of the
    /// query itself comes back as <see cref="CohortQueryException"/> in the engine's words.
    /// </summary>
    Task<IReadOnlyList<CohortColumn>> DescribeCohortAsync(string cohortSql, CancellationToken ct);
}
