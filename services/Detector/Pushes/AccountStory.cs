namespace ContextPush.Detector.Pushes;

/// <summary>
/// One account's story in one push, as the Detector knows it: whether it is in the cohort now, its
/// values against the last notified ones and the tolerances, and the days it was observed in the cohort.
/// </summary>
public sealed record AccountStory
{
    public required string PushId { get; init; }

    public required string Account { get; init; }

    /// <summary>Null when the warehouse could not be asked (<see cref="LiveError"/> says why).</summary>
    public bool? InCohortNow { get; init; }

    public string? LiveError { get; init; }

    /// <summary>When it was last notified (entered, or changed beyond tolerance); null when it never was or has left.</summary>
    public DateTimeOffset? NotifiedAt { get; init; }

    public required IReadOnlyList<MetricComparison> Metrics { get; init; }

    /// <summary>What the next run will do with it, in words.</summary>
    public required string Verdict { get; init; }

    /// <summary>The days the push observed its cohort (the day's first run), newest first, and whether the account was in it.</summary>
    public required IReadOnlyList<ObservedDay> Days { get; init; }

    /// <summary>The push's recent runs, newest first, and whether the account was in the cohort in each, where that is known.</summary>
    public required IReadOnlyList<AccountInRun> Runs { get; init; }
}

/// <summary>
/// One run of the push. <c>InCohort</c> is true for the run that last notified the account and every run
/// since, as long as it is still tracked (leaving would have untracked it); null where the tracking
/// state cannot tell (earlier runs, a run that failed, an account no longer tracked).
/// </summary>
public sealed record AccountInRun(Guid RunId, DateTimeOffset StartedAt, string Status, long RowsRead, long DeltasEmitted, bool? InCohort);

/// <summary>One metric now against its last notified value; <c>Moved</c> (beyond tolerance: a change at the next run) is null when either is missing.</summary>
public sealed record MetricComparison(string Metric, decimal? Now, decimal? Notified, decimal? Tolerance, decimal? RelativeTolerance, bool? Moved,
    string Verdict);

public sealed record ObservedDay(DateOnly Day, bool InCohort, IReadOnlyDictionary<string, decimal?>? Metrics);
