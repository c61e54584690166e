using System.Diagnostics.Metrics;
using ContextPush.Contracts;

namespace ContextPush.Callbacks.Telemetry;

/// <summary>Actions by type and channel, how long people take to act, and refused requests by reason.</summary>
public sealed class CallbacksMetrics
{
    private readonly Counter<long> rejected;
    private readonly Counter<long> actions;
    private readonly Histogram<double> timeToAction;

    public CallbacksMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(Microsoft.Extensions.Hosting.Extensions.ContextPushTelemetryName);
        rejected = meter.CreateCounter<long>("contextpush.callbacks.rejected", "{request}", "Callback requests refused, by reason");
        actions = meter.CreateCounter<long>("contextpush.callbacks.actions", "{action}", "Card actions accepted, by action and channel");
        timeToAction = meter.CreateHistogram<double>("contextpush.callbacks.time_to_action", "s", "From a card's delivery to a person acting on it");
    }

    public void Refused(string reason) => rejected.Add(1, new KeyValuePair<string, object?>("reason", reason));

    public void Accepted(CardAction action, string channel, TimeSpan? latency)
    {
        actions.Add(1, new("action", action.ToString()), new("channel", channel));
        if (latency is { } seconds)
        {
            timeToAction.Record(seconds.TotalSeconds, new KeyValuePair<string, object?>("channel", channel));
        }
    }
}
