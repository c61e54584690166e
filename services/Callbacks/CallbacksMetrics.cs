using System.Diagnostics.Metrics;
using ContextPush.Contracts;

namespace ContextPush.Callbacks;

/// <summary>Actions by type and channel, how long people take to act, and refused requests by reason.</summary>
public static class CallbacksMetrics
{
    private static readonly Meter Meter = new(Microsoft.Extensions.Hosting.Extensions.ContextPushTelemetryName);
    private static readonly Counter<long> Rejected = Meter.CreateCounter<long>("contextpush.callbacks.rejected", description: "Callback requests refused, by reason");
    private static readonly Counter<long> Actions = Meter.CreateCounter<long>("contextpush.callbacks.actions", description: "Card actions accepted, by action and channel");
    private static readonly Histogram<double> TimeToAction = Meter.CreateHistogram<double>("contextpush.callbacks.time_to_action", "s", "From a card's delivery to a person acting on it");

    public static void Refused(string reason) => Rejected.Add(1, new KeyValuePair<string, object?>("reason", reason));

    public static void Accepted(CardAction action, string channel, TimeSpan? timeToAction)
    {
        Actions.Add(1, new("action", action.ToString()), new("channel", channel));
        if (timeToAction is { } latency)
        {
            TimeToAction.Record(latency.TotalSeconds, new KeyValuePair<string, object?>("channel", channel));
        }
    }
}
