using System.Net;

namespace ContextPush.Dispatcher.Preview;

/// <summary>Server-rendered HTML with no script, so the page works in any browser, and in tests.</summary>
internal static class PreviewHtml
{
    public static string E(string? text) => WebUtility.HtmlEncode(text ?? "");

    public static string Page(string title, string body, int refreshSeconds) => $$"""
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><meta http-equiv="refresh" content="{{refreshSeconds}}"><title>{{E(title)}} · ContextPush</title>
        <style>
        body{font:14px system-ui,sans-serif;margin:0;color:#1d1d1f;background:#f6f7f9}
        header{background:#1f2937;color:#fff;padding:10px 20px} main{padding:16px 20px} h1{font-size:18px;margin:4px 0 12px}
        .muted{color:#6b7280}
        .card{background:#fff;border:1px solid #d1d5db;border-radius:8px;padding:12px 14px;margin:0 0 14px;max-width:720px}
        .card h3{margin:0 0 8px;font-size:16px} .card .ctx{color:#4b5563;font-size:13px;margin:4px 0}
        .card .btn{display:inline-block;border:1px solid #9ca3af;border-radius:4px;padding:3px 10px;margin:6px 6px 0 0;font-size:13px}
        .card .btn.primary{background:#15803d;color:#fff;border-color:#15803d}
        .fields{display:grid;grid-template-columns:1fr 1fr;gap:6px;margin:6px 0}
        </style></head>
        <body><header><b>ContextPush</b> · Dispatcher</header><main><h1>{{E(title)}}</h1>
        {{body}}
        </main></body></html>
        """;
}
