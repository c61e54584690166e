using System.Globalization;
using System.Net;
using System.Text;

namespace ContextPush.Callbacks.Adoption;

/// <summary>
/// GET /adoption/page: a section per push with its figures, its acted-on rate week by week, and how long
/// people took to act. Drawn as inline SVG on the server: no script, nothing fetched from elsewhere.
/// </summary>
public static class AdoptionPage
{
    private const int Width = 560;
    private const int Height = 160;

    public static string Render(IReadOnlyList<PushAdoption> figures, IReadOnlyList<AdoptionHistory> histories, DateTimeOffset since, TimeSpan window,
        IReadOnlyList<NoisyPush>? noisy = null)
    {
        var body = new StringBuilder();
        body.Append(CultureInfo.InvariantCulture, $"<p class=\"muted\">Cards delivered since {since:yyyy-MM-dd}; acted on means a first action within {window.TotalDays:0} days.</p>");
        if (figures.Count == 0)
        {
            body.Append("<p class=\"muted\">No card delivered in this period.</p>");
        }

        foreach (var push in figures)
        {
            var history = histories.FirstOrDefault(h => h.PushId == push.PushId) ?? new AdoptionHistory(push.PushId);
            body.Append(CultureInfo.InvariantCulture, $"""
                <section>
                <h2>{E(push.PushId)}</h2>
                {(noisy?.FirstOrDefault(n => n.PushId == push.PushId) is { } flag ? $"<p class=\"flag\">Noisy: {E(flag.Explanation)}</p>" : "")}
                <p>Acted-on rate: <b>{Percent(push.ActedOnRate)}</b> · {push.Delivered} delivered · {push.ActedOn} acted on · {push.Ignored} ignored · {push.Pending} pending
                · median time to first action {Duration(push.MedianSecondsToFirstAction)} · p90 {Duration(push.P90SecondsToFirstAction)}</p>
                <p class="muted">{push.Opened} opened · {push.Reviewed} reviewed · {push.Snoozed} snoozed · {push.Failed} failed · suppressed:
                {(push.SuppressedBy.Count == 0 ? "none" : string.Join(", ", push.SuppressedBy.OrderBy(s => s.Key, StringComparer.Ordinal).Select(s => $"{E(s.Key)} {s.Value}")))}</p>
                <h3>Acted-on rate by week</h3>
                {RateChart(history)}
                <h3>Time to first action</h3>
                {Histogram(history)}
                </section>
                """);
        }

        return $$"""
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><title>Adoption · ContextPush</title>
            <style>
              body { font-family: system-ui, sans-serif; margin: 2rem; max-width: 60rem; color: #1d1c1d; }
              section { border-top: 1px solid #ddd; padding-top: 1rem; margin-top: 1rem; }
              .muted { color: #616061; }
              .flag { background: #fdf1d6; border-left: 4px solid #ecb22e; padding: .5rem .75rem; }
              svg text { font-size: 11px; fill: #616061; }
            </style></head>
            <body><h1>Adoption</h1>{{body}}</body></html>
            """;
    }

    /// <summary>A line of the weekly rate, 0 to 100%; weeks whose cards are all still pending have no point.</summary>
    private static string RateChart(AdoptionHistory history)
    {
        var points = history.Weeks.Where(w => w.ActedOn + w.Ignored > 0).ToList();
        if (points.Count == 0)
        {
            return "<p class=\"muted\">No week has cards past their window yet.</p>";
        }

        var step = points.Count == 1 ? 0 : (Width - 60.0) / (points.Count - 1);
        var coordinates = points.Select((w, i) => (X: 40 + i * step, Y: Height - 20 - (Height - 40) * (double)w.ActedOn / (w.ActedOn + w.Ignored), w.Week)).ToList();
        var svg = new StringBuilder(string.Create(CultureInfo.InvariantCulture, $"""<svg role="img" aria-label="acted-on rate by week" width="{Width}" height="{Height}">"""));
        svg.Append(CultureInfo.InvariantCulture, $"""<line x1="40" y1="{Height - 20}" x2="{Width - 20}" y2="{Height - 20}" stroke="#ccc"/><text x="4" y="24">100%</text><text x="12" y="{Height - 20}">0%</text>""");
        svg.Append(CultureInfo.InvariantCulture, $"""<polyline fill="none" stroke="#1264a3" stroke-width="2" points="{string.Join(' ', coordinates.Select(c => string.Create(CultureInfo.InvariantCulture, $"{c.X:0.#},{c.Y:0.#}")))}"/>""");
        foreach (var (x, y, week) in coordinates)
        {
            svg.Append(CultureInfo.InvariantCulture, $"""<circle cx="{x:0.#}" cy="{y:0.#}" r="3" fill="#1264a3"/><text x="{x - 16:0.#}" y="{Height - 4}">{week:MM-dd}</text>""");
        }

        return svg.Append("</svg>").ToString();
    }

    /// <summary>Bars of the cards by the time to their first action.</summary>
    private static string Histogram(AdoptionHistory history)
    {
        var most = Math.Max(1, history.TimeToFirstAction.Max());
        var bar = (Width - 40.0) / AdoptionHistory.Buckets.Length;
        var svg = new StringBuilder(string.Create(CultureInfo.InvariantCulture, $"""<svg role="img" aria-label="time to first action" width="{Width}" height="{Height}">"""));
        for (var i = 0; i < AdoptionHistory.Buckets.Length; i++)
        {
            var count = history.TimeToFirstAction[i];
            var height = (Height - 40.0) * count / most;
            svg.Append(CultureInfo.InvariantCulture, $"""
                <rect x="{20 + i * bar + 4:0.#}" y="{Height - 20 - height:0.#}" width="{bar - 8:0.#}" height="{height:0.#}" fill="#2eb67d"/>
                <text x="{20 + i * bar + 6:0.#}" y="{Height - 6}">{E(AdoptionHistory.Buckets[i])}</text>
                <text x="{20 + i * bar + 6:0.#}" y="{Height - 24 - height:0.#}">{count}</text>
                """);
        }

        return svg.Append("</svg>").ToString();
    }

    private static string Percent(double? rate) => rate is { } r ? string.Create(CultureInfo.InvariantCulture, $"{r * 100:0}%") : "none yet";

    private static string Duration(double? seconds) => seconds switch
    {
        null => "none yet",
        < 60 => $"{seconds:0} s",
        < 3_600 => $"{seconds / 60:0} min",
        < 86_400 => $"{seconds / 3_600:0.#} h",
        _ => $"{seconds / 86_400:0.#} days",
    };

    private static string E(string text) => WebUtility.HtmlEncode(text);
}
