using System.Text;
using ContextPush.AppHost.Telemetry;
using static ContextPush.AppHost.Dashboard.Html;

namespace ContextPush.AppHost.Dashboard;

/// <summary>One trace as a waterfall: every span across the services, nested under its parent, on one time axis, with its attributes and errors.</summary>
internal static class TracePage
{
    private static readonly string[] Colors = ["#2563eb", "#16a34a", "#d97706", "#9333ea", "#0891b2", "#db2777"];

    public static string Render(TraceStore traces, string traceId)
    {
        var spans = traces.Trace(traceId);
        if (spans.Count == 0)
        {
            return Page("Trace not found", "Traces", $"<p>No trace <code>{E(traceId)}</code> is kept (only the newest are).</p>");
        }

        var start = spans.Min(s => s.Start);
        var total = Math.Max((spans.Max(s => s.End) - start).TotalMilliseconds, 0.001);
        var services = spans.Select(s => s.Service).Distinct().Order(StringComparer.Ordinal).ToList();
        var rows = new StringBuilder();
        foreach (var (span, depth) in Ordered(spans))
        {
            var left = (span.Start - start).TotalMilliseconds / total * 100;
            var width = Math.Max((span.End - span.Start).TotalMilliseconds / total * 100, 0.3);
            var color = span.Error ? "#dc2626" : Colors[services.IndexOf(span.Service) % Colors.Length];
            var attributes = string.Join("", span.Attributes.OrderBy(a => a.Key, StringComparer.Ordinal)
                .Select(a => $"<tr><td><code>{E(a.Key)}</code></td><td><code>{E(a.Value)}</code></td></tr>"));
            var links = string.Join(" ", span.LinkedTraceIds.Select(l => $"""<a href="/traces/{E(l)}">linked trace {E(l[..8])}…</a>"""));
            rows.Append($"""
                <tr class="{(span.Error ? "err" : "")}" data-service="{E(span.Service)}">
                <td style="white-space:nowrap"><span style="color:{color}">●</span> {E(span.Service)}</td>
                <td style="padding-left:{8 + depth * 16}px"><details><summary>{E(span.Name)}{(span.Error ? $" <span class=\"bad\">error: {E(span.StatusMessage)}</span>" : "")}</summary>
                <table>{attributes}</table>{links}</details></td>
                <td style="width:40%"><div class="lane"><div class="bar" style="left:{left:0.##}%;width:{width:0.##}%;background:{color}"></div></div></td>
                <td style="white-space:nowrap">{(span.End - span.Start).TotalMilliseconds:0.##} ms</td></tr>
                """);
        }

        return Page($"Trace {traceId}", "Traces", $"""
            <p>{spans.Count} spans from {E(string.Join(", ", services))}, {total:0.#} ms, starting {start.ToLocalTime():HH:mm:ss.fff}.
            Open a span for its attributes.</p>
            <table id="waterfall"><tr><th>Service</th><th>Span</th><th>Timeline</th><th>Duration</th></tr>{rows}</table>
            """);
    }

    /// <summary>Depth-first by start time, so children sit under their parent; spans whose parent is not here start a new root.</summary>
    private static IEnumerable<(TraceSpan Span, int Depth)> Ordered(IReadOnlyList<TraceSpan> spans)
    {
        var ids = spans.Select(s => s.SpanId).ToHashSet();
        var children = spans.Where(s => s.ParentSpanId is not null && ids.Contains(s.ParentSpanId))
            .ToLookup(s => s.ParentSpanId!);
        IEnumerable<(TraceSpan, int)> Visit(TraceSpan span, int depth) =>
            new[] { (span, depth) }.Concat(children[span.SpanId].OrderBy(c => c.Start).SelectMany(c => Visit(c, depth + 1)));
        return spans.Where(s => s.ParentSpanId is null || !ids.Contains(s.ParentSpanId)).OrderBy(s => s.Start).SelectMany(r => Visit(r, 0));
    }
}
