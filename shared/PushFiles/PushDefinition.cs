namespace ContextPush.PushFiles;

/// <summary>A validated push, as read from its YAML file.</summary>
public sealed record PushDefinition
{
    public required string Id { get; init; }

    public required string File { get; init; }

    public string Description { get; init; } = "";

    public required string Topic { get; init; }

    /// <summary>The connection name of the warehouse the cohort runs on.</summary>
    public string Warehouse { get; init; } = "warehouse";

    /// <summary>Which kinds of change are sent.</summary>
    public IReadOnlySet<Contracts.DeltaKind> Changes { get; init; } = new HashSet<Contracts.DeltaKind>(Enum.GetValues<Contracts.DeltaKind>());

    /// <summary>The cohort query's statement timeout; null for the Detector's default.</summary>
    public TimeSpan? Timeout { get; init; }

    public required string CohortSql { get; init; }

    public required IReadOnlyList<string> Key { get; init; }

    public required IReadOnlyList<MetricDefinition> Metrics { get; init; }

    public required string Schedule { get; init; }

    public required TimeZoneInfo TimeZone { get; init; }

    /// <summary>When true, the first run sends every row as entered instead of only recording a baseline.</summary>
    public bool SendOnFirstRun { get; init; }

    /// <summary>The context, throttle and delivery sections, flattened; still sent for consumers older than <see cref="TypedSettings"/>.</summary>
    public required IReadOnlyDictionary<string, string> Settings { get; init; }

    /// <summary>The same sections typed and checked at load; later stages read these, never the text.</summary>
    public required Contracts.PushSettings TypedSettings { get; init; }
}
