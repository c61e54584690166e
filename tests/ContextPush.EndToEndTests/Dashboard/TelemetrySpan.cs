namespace ContextPush.EndToEndTests.Dashboard;

/// <summary>One span as the Aspire dashboard's telemetry API returns it, flattened for assertions.</summary>
public sealed record TelemetrySpan(
    string Service, string TraceId, string SpanId, string? ParentSpanId, string Name,
    IReadOnlyDictionary<string, string> Attributes, IReadOnlyList<string> LinkedTraceIds);
