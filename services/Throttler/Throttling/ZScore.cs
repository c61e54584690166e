using ContextPush.Contracts;

namespace ContextPush.Throttler.Throttling;

/// <summary>How unusual a value is against a distribution, in sample standard deviations.</summary>
public static class ZScore
{
    /// <summary>
    /// (value − mean) / sample standard deviation. With zero variance any departure from a perfectly
    /// flat history is infinitely unusual (±∞) and no departure is not unusual at all (0); with fewer
    /// than two observations there is no answer (null).
    /// </summary>
    public static double? Of(decimal value, MetricStats stats)
    {
        if (stats.StdDev is not { } deviation || stats.Count < 2)
        {
            return null;
        }

        if (deviation == 0)
        {
            return value == stats.Mean ? 0 : value > stats.Mean ? double.PositiveInfinity : double.NegativeInfinity;
        }

        return (double)((value - stats.Mean) / deviation);
    }

    /// <summary>Whether <paramref name="z"/> exceeds the threshold in the push's direction: up, down or either.</summary>
    public static bool Exceeds(double z, double threshold, string direction) => direction switch
    {
        "up" => z > threshold,
        "down" => z < -threshold,
        _ => Math.Abs(z) > threshold,
    };
}
