using System.Globalization;
using ContextPush.ServiceDefaults.Configuration;

namespace ContextPush.Throttler.Throttling;

/// <summary>The push's throttle.priority section, with its defaults.</summary>
public sealed record PrioritySettings(
    string Mode, double Threshold, string Direction, TimeSpan Window, int MinObservations, bool HoldShortHistory, string? HistorySql, string? Metric)
{
    /// <summary>
    /// mode: history (default), peers or off; threshold 2; direction either (up, down); window 14d;
    /// min_observations 7; short_history pass (default) or hold; history_sql; metric (default: any).
    /// </summary>
    public static PrioritySettings From(IReadOnlyDictionary<string, string> settings, string pushId)
    {
        string? Get(string key) => settings.GetValueOrDefault($"throttle:priority:{key}");
        string Field(string key) => $"push {pushId}: throttle.priority.{key}";
        var mode = Get("mode") ?? "history";
        var direction = Get("direction") ?? "either";
        var shortHistory = Get("short_history") ?? "pass";
        if (mode is not ("history" or "peers" or "off"))
        {
            throw new FormatException($"{Field("mode")}: '{mode}' is not history, peers or off");
        }

        if (direction is not ("up" or "down" or "either"))
        {
            throw new FormatException($"{Field("direction")}: '{direction}' is not up, down or either");
        }

        if (shortHistory is not ("pass" or "hold"))
        {
            throw new FormatException($"{Field("short_history")}: '{shortHistory}' is not pass or hold");
        }

        return new PrioritySettings(
            mode,
            Get("threshold") is { } t ? double.Parse(t, NumberStyles.Float, CultureInfo.InvariantCulture) : 2.0,
            direction,
            Get("window") is { } w ? DurationText.Parse(w, Field("window")) : TimeSpan.FromDays(14),
            Get("min_observations") is { } m ? int.Parse(m, CultureInfo.InvariantCulture) : 7,
            shortHistory == "hold",
            Get("history_sql"),
            Get("metric"));
    }
}
