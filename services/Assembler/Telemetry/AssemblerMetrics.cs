using System.Diagnostics.Metrics;

namespace ContextPush.Assembler.Telemetry;

/// <summary>What on-call asks of the Assembler: which sources let deltas down, and whether the cache is doing its job.</summary>
public sealed class AssemblerMetrics
{
    private readonly Counter<long> degraded;
    private readonly Counter<long> lookups;

    public AssemblerMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(Microsoft.Extensions.Hosting.Extensions.ContextPushTelemetryName);
        degraded = meter.CreateCounter<long>("contextpush.assembler.degraded", "{delta}",
            "Deltas sent on with part of their context missing, by push, source and reason.");
        lookups = meter.CreateCounter<long>("contextpush.assembler.lookups", "{lookup}",
            "Owner, company and Slack-id lookups by result: hit (from Redis) or miss (asked the source).");
    }

    public void Degraded(string push, string source, string reason) =>
        degraded.Add(1, new("push", push), new("source", source), new("reason", reason));

    public void CacheHit(string lookup) => lookups.Add(1, new("lookup", lookup), new("result", "hit"));

    public void CacheMiss(string lookup) => lookups.Add(1, new("lookup", lookup), new("result", "miss"));
}
