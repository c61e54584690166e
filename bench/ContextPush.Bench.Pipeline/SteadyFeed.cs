using System.Diagnostics;
using ContextPush.Contracts;
using MassTransit;

namespace ContextPush.Bench.Pipeline;

/// <summary>
/// Deltas at a steady rate, as a Detector with a push due every moment would publish them: the warm-up's
/// own deltas again, each under a new id and detected now, so every one is a first card.
/// </summary>
internal sealed class SteadyFeed(IBus bus, IReadOnlyList<DeltaDetected> templates, PipelineWatch watch)
{
    public sealed record Latencies(double Rate, int Deltas, double P50, double P95, double P99, double Max);

    public async Task<Latencies> RunAsync(double perSecond, TimeSpan duration)
    {
        var count = (int)(perSecond * duration.TotalSeconds);
        var sent = new (Guid Id, DateTimeOffset At)[count];
        var publishes = new List<Task>(count);
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < count; i++)
        {
            var due = TimeSpan.FromSeconds(i / perSecond);
            if (due > clock.Elapsed)
            {
                await Task.Delay(due - clock.Elapsed);
            }

            var template = templates[i % templates.Count];
            var now = DateTimeOffset.UtcNow;
            var delta = template with { DeltaId = NewId.NextGuid(), CorrelationId = NewId.NextGuid(), DetectedAt = now };
            sent[i] = (delta.DeltaId, now);
            publishes.Add(bus.Publish(delta));
        }

        await Task.WhenAll(publishes);
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(5);
        while (sent.Any(s => watch.DeliveredAt(s.Id) is null))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{sent.Count(s => watch.DeliveredAt(s.Id) is null)} of {count} deltas at {perSecond:0}/s not delivered in 5 minutes");
            }

            await Task.Delay(100);
        }

        var milliseconds = sent.Select(s => (watch.DeliveredAt(s.Id)!.Value - s.At).TotalMilliseconds).Order().ToArray();
        return new Latencies(perSecond, count, Percentile(milliseconds, 0.50), Percentile(milliseconds, 0.95), Percentile(milliseconds, 0.99), milliseconds[^1]);
    }

    /// <summary>The nearest-rank percentile of sorted values.</summary>
    private static double Percentile(double[] sorted, double p) => sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
}
