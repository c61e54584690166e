using System.Diagnostics.Metrics;
using ContextPush.Contracts;

namespace ContextPush.Detector.Detection;

/// <summary>What on-call asks of the Detector: runs by outcome, deltas by kind, run time, broken pushes.</summary>
public static class DetectorMetrics
{
    private static readonly Meter Meter = new(Microsoft.Extensions.Hosting.Extensions.ContextPushTelemetryName);

    private static readonly Counter<long> Runs = Meter.CreateCounter<long>("contextpush.detector.runs", description: "Detection runs by push and status");

    private static readonly Counter<long> Deltas = Meter.CreateCounter<long>("contextpush.detector.deltas", description: "Deltas detected by push and kind");

    private static readonly Histogram<double> Duration = Meter.CreateHistogram<double>("contextpush.detector.run.duration", "ms", "Time of a detection run");

    private static int _invalidPushes;

    static DetectorMetrics() =>
        Meter.CreateObservableGauge("contextpush.detector.invalid_pushes", () => _invalidPushes, description: "Push files skipped because they are invalid");

    public static void RunFinished(string pushId, string status, double? durationMs)
    {
        Runs.Add(1, new("push", pushId), new("status", status));
        if (durationMs is { } ms)
        {
            Duration.Record(ms, new KeyValuePair<string, object?>("push", pushId));
        }
    }

    public static void Detected(string pushId, DeltaKind kind) => Deltas.Add(1, new("push", pushId), new("kind", kind.ToString()));

    public static void InvalidPushes(int count) => _invalidPushes = count;
}
