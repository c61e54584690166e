using System.Diagnostics.Metrics;
using ContextPush.Contracts;

namespace ContextPush.Detector.Telemetry;

/// <summary>What on-call asks of the Detector: runs by outcome, deltas by kind, run time, broken pushes.</summary>
public sealed class DetectorMetrics
{
    private readonly Counter<long> runs;
    private readonly Counter<long> deltas;
    private readonly Histogram<double> duration;
    private int invalidPushes;

    public DetectorMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(Microsoft.Extensions.Hosting.Extensions.ContextPushTelemetryName);
        runs = meter.CreateCounter<long>("contextpush.detector.runs", "{run}", "Detection runs by push and status");
        deltas = meter.CreateCounter<long>("contextpush.detector.deltas", "{delta}", "Deltas detected by push and kind");
        duration = meter.CreateHistogram<double>("contextpush.detector.run.duration", "ms", "Time of a detection run");
        meter.CreateObservableGauge("contextpush.detector.invalid_pushes", () => Volatile.Read(ref invalidPushes), "{push}",
            "Push files skipped because they are invalid");
    }

    public void RunFinished(string pushId, string status, double? durationMs)
    {
        runs.Add(1, new("push", pushId), new("status", status));
        if (durationMs is { } ms)
        {
            duration.Record(ms, new KeyValuePair<string, object?>("push", pushId));
        }
    }

    public void Detected(string pushId, DeltaKind kind) => deltas.Add(1, new("push", pushId), new("kind", kind.ToString()));

    public void InvalidPushes(int count) => Volatile.Write(ref invalidPushes, count);
}
