namespace ContextPush.Detector.Pushes;

/// <summary>The YAML shape of a push file; unknown fields are rejected by the deserializer.</summary>
public sealed class PushFile
{
    public string? Id { get; set; }

    public string? Description { get; set; }

    public string? Topic { get; set; }

    /// <summary>The connection name of the warehouse the cohort runs on; "warehouse" by default.</summary>
    public string? Warehouse { get; set; }

    /// <summary>Which kinds of change are sent: any of entered, changed, left (all by default).</summary>
    public List<string>? Changes { get; set; }

    /// <summary>The cohort query's statement timeout ("90s", "5m"); the Detector's default when absent.</summary>
    public string? Timeout { get; set; }

    public string? Cohort { get; set; }

    public List<string>? Key { get; set; }

    public List<PushFileMetric>? Metrics { get; set; }

    public string? Schedule { get; set; }

    public string? TimeZone { get; set; }

    /// <summary>"baseline" (default) or "send".</summary>
    public string? FirstRun { get; set; }

    public Dictionary<string, object?>? Context { get; set; }

    public Dictionary<string, object?>? Throttle { get; set; }

    public Dictionary<string, object?>? Delivery { get; set; }
}

public sealed class PushFileMetric
{
    public string? Name { get; set; }

    /// <summary>The smallest absolute move that counts.</summary>
    public decimal? Tolerance { get; set; }

    /// <summary>The smallest move relative to the last notified value that counts (0.1 = 10%).</summary>
    public decimal? RelativeTolerance { get; set; }
}
