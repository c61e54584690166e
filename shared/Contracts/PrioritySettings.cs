namespace ContextPush.Contracts;

/// <summary>A push's throttle.priority section: how unusual a change must be, by its z-score, to be sent.</summary>
public sealed record PrioritySettings
{
    /// <summary>history (against the account's own past), peers (against the cohort) or off.</summary>
    public string Mode { get; init; } = "history";

    /// <summary>|z| must exceed it.</summary>
    public double Threshold { get; init; } = 2.0;

    /// <summary>up, down or either.</summary>
    public string Direction { get; init; } = "either";

    /// <summary>How far back the history reaches.</summary>
    public TimeSpan Window { get; init; } = TimeSpan.FromDays(14);

    /// <summary>Fewer observations than this are a short history.</summary>
    public int MinObservations { get; init; } = 7;

    /// <summary>Whether a short history holds the delta back (true) or lets it pass (false, the default).</summary>
    public bool HoldShortHistory { get; init; }

    /// <summary>The push's own history query, if any.</summary>
    public string? HistorySql { get; init; }

    /// <summary>The one metric to judge; null for any of them.</summary>
    public string? Metric { get; init; }
}
