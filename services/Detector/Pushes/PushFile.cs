namespace ContextPush.Detector.Pushes;

/// <summary>The YAML shape of a push file; unknown fields are rejected by the deserializer.</summary>
public sealed class PushFile
{
    public string? Id { get; set; }

    public string? Description { get; set; }

    public string? Topic { get; set; }

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

    public decimal? Tolerance { get; set; }
}
