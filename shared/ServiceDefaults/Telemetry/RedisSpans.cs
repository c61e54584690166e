using System.Diagnostics;

namespace ContextPush.ServiceDefaults.Telemetry;

/// <summary>
/// Client spans for our Redis scripts, following OpenTelemetry's database conventions. The Redis
/// instrumentation package is not available to this project, and all our Redis work is a handful of
/// named scripts, so each names itself.
/// </summary>
public static class RedisSpans
{
    private static readonly ActivitySource Source = new(Microsoft.Extensions.Hosting.Extensions.ContextPushTelemetryName);

    public static Activity? Start(string operation) => Source.StartActivity($"redis {operation}", ActivityKind.Client,
        Activity.Current?.Context ?? default, [new("db.system", "redis"), new("db.operation.name", "EVAL"), new("contextpush.redis.script", operation)]);
}
