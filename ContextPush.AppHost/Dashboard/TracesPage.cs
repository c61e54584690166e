using System.Text;
using ContextPush.AppHost.Telemetry;
using static ContextPush.AppHost.Dashboard.Html;

namespace ContextPush.AppHost.Dashboard;

/// <summary>The newest traces, searchable by service, push, account or DeltaId.</summary>
internal static class TracesPage
{
    public static string Render(TraceStore traces, string? query)
    {
        var rows = new StringBuilder();
        foreach (var t in traces.Recent(query))
        {
            rows.Append($"""
                <tr class="{(t.Error ? "err" : "")}"><td>{t.Start.ToLocalTime():HH:mm:ss.fff}</td>
                <td><a href="/traces/{t.TraceId}">{E(t.RootName)}</a>{(t.Error ? " <span class=\"bad\">error</span>" : "")}</td>
                <td>{E(string.Join(", ", t.Services))}</td><td>{t.SpanCount}</td><td>{t.Duration.TotalMilliseconds:0.#} ms</td>
                <td>{E(t.PushId)}</td><td>{E(t.AccountKey)}</td><td><code>{E(t.DeltaId)}</code></td></tr>
                """);
        }

        return Page("Traces", "Traces", $"""
            <form method="get" action="/traces"><input name="q" value="{E(query)}" placeholder="service, push, account or DeltaId">
            <button>Search</button> <span class="muted">{traces.Count} traces kept in memory</span></form><br>
            <table id="traces"><tr><th>Start</th><th>Root</th><th>Services</th><th>Spans</th><th>Duration</th><th>Push</th><th>Account</th><th>DeltaId</th></tr>
            {rows}</table>
            """, refreshSeconds: string.IsNullOrEmpty(query) ? 5 : null);
    }
}
