using System.Diagnostics.Metrics;

namespace ContextPush.Throttler.Throttling;

/// <summary>Decisions by outcome and reason: what on-call checks when people say "I got nothing".</summary>
public static class ThrottlerMetrics
{
    private static readonly Meter Meter = new(Microsoft.Extensions.Hosting.Extensions.ContextPushTelemetryName);
    private static readonly Counter<long> Decisions = Meter.CreateCounter<long>("contextpush.throttler.decisions", description: "Decisions by push, outcome and reason");

    public static void Decided(Decision decision) => Decisions.Add(1,
        new("push", decision.PushId), new("outcome", decision.Approved ? "approved" : "suppressed"), new("reason", decision.Reason));
}
