using System.Diagnostics.Metrics;

namespace ContextPush.Dispatcher.Telemetry;

/// <summary>Cards delivered, postponed and failed per channel, and the time from detection to delivery.</summary>
public sealed class DispatcherMetrics
{
    private readonly Counter<long> delivered;
    private readonly Counter<long> failed;
    private readonly Counter<long> postponed;
    private readonly Counter<long> reconciled;
    private readonly Histogram<double> detectionToDelivery;

    public DispatcherMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(Microsoft.Extensions.Hosting.Extensions.ContextPushTelemetryName);
        delivered = meter.CreateCounter<long>("contextpush.dispatcher.delivered", "{card}", "Cards delivered, by channel");
        failed = meter.CreateCounter<long>("contextpush.dispatcher.failed", "{card}", "Cards not delivered, by channel and permanence");
        postponed = meter.CreateCounter<long>("contextpush.dispatcher.postponed", "{attempt}",
            "Attempts put off because the platform was unavailable, by error type");
        reconciled = meter.CreateCounter<long>("contextpush.dispatcher.reconciled", "{card}",
            "Cards found already posted by an attempt that died before recording them, by channel");
        detectionToDelivery = meter.CreateHistogram<double>("contextpush.dispatcher.detection_to_delivery", "s",
            "From the Detector finding a delta to its card being accepted by the channel");
    }

    public void Sent(string channel, TimeSpan sinceDetection)
    {
        delivered.Add(1, new KeyValuePair<string, object?>("channel", channel));
        detectionToDelivery.Record(sinceDetection.TotalSeconds, new KeyValuePair<string, object?>("channel", channel));
    }

    /// <summary>The error's type (its text up to the colon) keeps the tag's values few.</summary>
    public void Postponed(string error) => postponed.Add(1, new KeyValuePair<string, object?>("error.type", error.Split(':')[0]));

    public void Reconciled(string channel) => reconciled.Add(1, new KeyValuePair<string, object?>("channel", channel));

    public void NotSent(string channel, bool permanent) => failed.Add(1, new("channel", channel), new("permanent", permanent));
}
