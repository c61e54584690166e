using System.Diagnostics.Metrics;

namespace ContextPush.Dispatcher.Delivery;

/// <summary>Cards delivered, postponed and failed per channel, and the time from detection to delivery.</summary>
public static class DispatcherMetrics
{
    private static readonly Meter Meter = new(Microsoft.Extensions.Hosting.Extensions.ContextPushTelemetryName);
    private static readonly Counter<long> Delivered = Meter.CreateCounter<long>("contextpush.dispatcher.delivered", description: "Cards delivered, by channel");
    private static readonly Counter<long> Failed = Meter.CreateCounter<long>("contextpush.dispatcher.failed", description: "Cards not delivered, by channel and permanence");
    private static readonly Counter<long> Later = Meter.CreateCounter<long>(
        "contextpush.dispatcher.postponed", description: "Attempts put off because the platform was unavailable, by error type");
    private static readonly Counter<long> Found = Meter.CreateCounter<long>(
        "contextpush.dispatcher.reconciled", description: "Cards found already posted by an attempt that died before recording them, by channel");
    private static readonly Histogram<double> DetectionToDelivery = Meter.CreateHistogram<double>(
        "contextpush.dispatcher.detection_to_delivery", "s", "From the Detector finding a delta to its card being accepted by the channel");

    public static void Sent(string channel, TimeSpan sinceDetection)
    {
        Delivered.Add(1, new KeyValuePair<string, object?>("channel", channel));
        DetectionToDelivery.Record(sinceDetection.TotalSeconds, new KeyValuePair<string, object?>("channel", channel));
    }

    /// <summary>The error's type (its text up to the colon) keeps the tag's values few.</summary>
    public static void Postponed(string error) => Later.Add(1, new KeyValuePair<string, object?>("error.type", error.Split(':')[0]));

    public static void Reconciled(string channel) => Found.Add(1, new KeyValuePair<string, object?>("channel", channel));

    public static void NotSent(string channel, bool permanent) => Failed.Add(1, new("channel", channel), new("permanent", permanent));
}
