using System.Globalization;
using ContextPush.Contracts;

namespace ContextPush.Wording;

/// <summary>
/// A metric's value as people read it, in every channel alike: the header, Slack fields, Teams
/// facts, email rows and templates all say "91.3%" for a churn probability of 0.9133.
/// </summary>
public static class MetricText
{
    private static readonly Dictionary<string, string> Symbols = new(StringComparer.OrdinalIgnoreCase)
    {
        ["USD"] = "$", ["EUR"] = "€", ["GBP"] = "£", ["JPY"] = "¥",
    };

    /// <summary>One value: "91.3%", "1,204", "$12,400.00"; "n/a" when absent.</summary>
    public static string Format(decimal? value, MetricFormat? format)
    {
        if (value is not { } v)
        {
            return "n/a";
        }

        var culture = CultureInfo.InvariantCulture;
        return format?.Style switch
        {
            "percent" => (v * 100).ToString("N" + (format.Decimals ?? 1), culture) + "%",
            "integer" => Math.Round(v, MidpointRounding.AwayFromZero).ToString("N0", culture),
            "number" => v.ToString("N" + (format.Decimals ?? 2), culture),
            "currency" => Money(v, format, culture),
            // Undeclared: as the warehouse gave it, without trailing noise.
            _ => v.ToString("0.####", culture),
        };
    }

    /// <summary>A value and where it came from: "20.3% (was 9.8%, up)"; the value alone when nothing moved.</summary>
    public static string Describe(decimal? value, decimal? previous, MetricFormat? format)
    {
        var now = Format(value, format);
        if (previous is null || value is null)
        {
            return previous is null ? now : $"{now} (was {Format(previous, format)})";
        }

        var was = Format(previous, format);
        return value == previous || now == was
            ? now
            : $"{now} (was {was}, {(value > previous ? "up" : "down")})";
    }

    /// <summary>The metric's declared format in a delta, if any.</summary>
    public static MetricFormat? Of(DeltaDetected delta, string metric) => delta.MetricFormats?.GetValueOrDefault(metric);

    private static string Money(decimal v, MetricFormat format, CultureInfo culture)
    {
        var digits = Math.Abs(v).ToString("N" + (format.Decimals ?? 2), culture);
        var sign = v < 0 ? "-" : "";
        return format.Currency is { } code && !Symbols.ContainsKey(code)
            ? $"{sign}{digits} {code.ToUpperInvariant()}"
            : $"{sign}{Symbols.GetValueOrDefault(format.Currency ?? "USD", "$")}{digits}";
    }
}
