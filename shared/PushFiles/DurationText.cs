using System.Globalization;

namespace ContextPush.PushFiles;

/// <summary>Durations as analysts write them in push files: "7d", "12h", "30m", "90s", "500ms", or a TimeSpan ("1.12:00:00").</summary>
public static class DurationText
{
    /// <summary>The same forms as a JSON Schema pattern, for editors.</summary>
    public const string Pattern = @"^\s*(\d+(\.\d+)?\s*(ms|[dhmsDHMS])|(\d+\.)?\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?)\s*$";

    public static TimeSpan Parse(string text, string field)
    {
        var trimmed = text.Trim();
        if (trimmed.EndsWith("ms", StringComparison.OrdinalIgnoreCase)
            && double.TryParse(trimmed[..^2], NumberStyles.Float, CultureInfo.InvariantCulture, out var milliseconds) && milliseconds > 0)
        {
            return TimeSpan.FromMilliseconds(milliseconds);
        }

        if (trimmed.Length > 1 && double.TryParse(trimmed[..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out var amount) && amount > 0)
        {
            switch (char.ToLowerInvariant(trimmed[^1]))
            {
                case 'd': return TimeSpan.FromDays(amount);
                case 'h': return TimeSpan.FromHours(amount);
                case 'm': return TimeSpan.FromMinutes(amount);
                case 's': return TimeSpan.FromSeconds(amount);
            }
        }

        if (TimeSpan.TryParse(trimmed, CultureInfo.InvariantCulture, out var span) && span > TimeSpan.Zero)
        {
            return span;
        }

        throw new FormatException($"{field}: '{text}' is not a duration; write e.g. 7d, 12h, 30m, 90s or 500ms");
    }
}
