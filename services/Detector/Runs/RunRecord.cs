namespace ContextPush.Detector.Runs;

/// <summary>One detection run of one push, as listed by the API and stored in contextpush.push_runs.</summary>
public sealed record RunRecord
{
    public required Guid RunId { get; init; }

    public required string PushId { get; init; }

    /// <summary>"schedule" or "api".</summary>
    public required string Trigger { get; init; }

    public required DateTimeOffset StartedAt { get; init; }

    public DateTimeOffset? FinishedAt { get; init; }

    /// <summary>"running", "succeeded" or "failed".</summary>
    public required string Status { get; init; }

    public long RowsRead { get; init; }

    public long DeltasEmitted { get; init; }

    /// <summary>True when the run only recorded the first state of a new push.</summary>
    public bool Baseline { get; init; }

    public string? Error { get; init; }

    public double? DurationMs => FinishedAt is { } f ? (f - StartedAt).TotalMilliseconds : null;
}
