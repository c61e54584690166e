namespace ContextPush.EndToEndTests.Dashboard;

/// <summary>One structured log record as the Aspire dashboard's telemetry API returns it.</summary>
public sealed record TelemetryLog(string Service, string Body, string? TraceId, IReadOnlyDictionary<string, string> Attributes);
