namespace ContextPush.AppHost.Telemetry;

/// <summary>One span as received over OTLP, with the service that reported it.</summary>
public sealed record TraceSpan(
    string TraceId,
    string SpanId,
    string? ParentSpanId,
    string Name,
    string Service,
    DateTimeOffset Start,
    DateTimeOffset End,
    IReadOnlyDictionary<string, string> Attributes,
    bool Error,
    string? StatusMessage,
    IReadOnlyList<string> LinkedTraceIds);
