using System.Net;
using System.Text;

namespace ContextPush.AppHost.Dashboard;

/// <summary>The dashboard's page frame: server-rendered HTML with no script, so it works in any browser and in tests.</summary>
internal static class Html
{
    public static string E(string? text) => WebUtility.HtmlEncode(text ?? "");

    public static string Page(string title, string active, string body, int? refreshSeconds = null)
    {
        var nav = new StringBuilder();
        foreach (var (href, label) in new[] { ("/", "Resources"), ("/console", "Console"), ("/traces", "Traces"), ("/cards", "Cards") })
        {
            nav.Append($"""<a href="{href}" class="{(label == active ? "on" : "")}">{label}</a>""");
        }

        var refresh = refreshSeconds is { } s ? $"""<meta http-equiv="refresh" content="{s}">""" : "";
        return $$"""
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8">{{refresh}}<title>{{E(title)}} · ContextPush</title>
            <style>
            body{font:14px system-ui,sans-serif;margin:0;color:#1d1d1f;background:#f6f7f9}
            header{background:#1f2937;color:#fff;padding:10px 20px;display:flex;gap:18px;align-items:center}
            header b{font-size:16px;margin-right:12px} header a{color:#cbd5e1;text-decoration:none} header a.on{color:#fff;border-bottom:2px solid #60a5fa}
            main{padding:16px 20px} h1{font-size:18px;margin:4px 0 12px}
            table{border-collapse:collapse;width:100%;background:#fff} th,td{padding:6px 8px;border-bottom:1px solid #e5e7eb;text-align:left;vertical-align:top}
            th{background:#f3f4f6;font-weight:600} code,pre{font:12px ui-monospace,monospace}
            pre{background:#0f172a;color:#e2e8f0;padding:12px;overflow:auto;max-height:75vh}
            .ok{color:#15803d} .bad{color:#b91c1c;font-weight:600} .muted{color:#6b7280}
            .bar{height:14px;border-radius:3px;position:relative;min-width:2px} .lane{background:#eef2f7;position:relative;height:14px}
            .err{background:#fee2e2} details summary{cursor:pointer}
            .card{background:#fff;border:1px solid #d1d5db;border-radius:8px;padding:12px 14px;margin:0 0 14px;max-width:720px}
            .card h3{margin:0 0 8px;font-size:16px} .card .ctx{color:#4b5563;font-size:13px;margin:4px 0}
            .card .btn{display:inline-block;border:1px solid #9ca3af;border-radius:4px;padding:3px 10px;margin:6px 6px 0 0;font-size:13px}
            .card .btn.primary{background:#15803d;color:#fff;border-color:#15803d}
            .fields{display:grid;grid-template-columns:1fr 1fr;gap:6px;margin:6px 0}
            form input{padding:5px 8px;width:340px} form button{padding:5px 10px}
            </style></head>
            <body><header><b>ContextPush</b>{{nav}}</header><main><h1>{{E(title)}}</h1>
            {{body}}
            </main></body></html>
            """;
    }
}
