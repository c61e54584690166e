namespace ContextPush.AppHost.Telemetry;

/// <summary>One line of the dashboard's trace list.</summary>
public sealed record TraceSummary(
    string TraceId,
    string RootName,
    DateTimeOffset Start,
    TimeSpan Duration,
    IReadOnlyList<string> Services,
    int SpanCount,
    bool Error,
    string? PushId,
    string? AccountKey,
    string? DeltaId);
