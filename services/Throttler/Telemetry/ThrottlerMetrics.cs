using System.Diagnostics.Metrics;
using ContextPush.Throttler.Throttling;

namespace ContextPush.Throttler.Telemetry;

/// <summary>Decisions by outcome and reason: what on-call checks when people say "I got nothing".</summary>
public sealed class ThrottlerMetrics
{
    private readonly Counter<long> decisions;

    public ThrottlerMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(Microsoft.Extensions.Hosting.Extensions.ContextPushTelemetryName);
        decisions = meter.CreateCounter<long>("contextpush.throttler.decisions", "{delta}", "Decisions by push, outcome and reason");
    }

    public void Decided(Decision decision) => decisions.Add(1,
        new("push", decision.PushId), new("outcome", decision.Approved ? "approved" : "suppressed"), new("reason", decision.Reason));
}
