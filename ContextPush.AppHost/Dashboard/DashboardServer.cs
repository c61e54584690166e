using ContextPush.AppHost.Hosting;
using ContextPush.LocalServers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace ContextPush.AppHost.Dashboard;

/// <summary>
/// The AppHost's dashboard, in the spirit of Aspire's: resources, console output, traces and recent
/// cards, served on a loopback port of its own. It needs no other server and keeps nothing on disk.
/// </summary>
public sealed class DashboardServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private DashboardServer(WebApplication app, Uri url)
    {
        _app = app;
        Url = url;
    }

    public Uri Url { get; }

    public static async Task<DashboardServer> StartAsync(DistributedApplication application, ConsoleLog log, int port)
    {
        try
        {
            return await StartOnAsync(application, log, port > 0 ? port : FreePort.Next());
        }
        catch (IOException) when (port > 0)
        {
            // Another run (or Aspire's own dashboard) has the usual port: a free one beats not starting.
            return await StartOnAsync(application, log, FreePort.Next());
        }
    }

    private static async Task<DashboardServer> StartOnAsync(DistributedApplication application, ConsoleLog log, int port)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.MapGet("/", async () => Results.Content(await ResourcesPage.RenderAsync(application), "text/html"));
        app.MapGet("/console", () => Results.Content(ConsolePage.Render(log, null), "text/html"));
        app.MapGet("/console/{resource}", (string resource) => Results.Content(ConsolePage.Render(log, resource), "text/html"));
        app.MapGet("/traces", (string? q) => Results.Content(TracesPage.Render(application.Traces, q), "text/html"));
        app.MapGet("/traces/{traceId}", (string traceId) => Results.Content(TracePage.Render(application.Traces, traceId), "text/html"));
        app.MapGet("/cards", async () => Results.Content(await CardsPage.RenderAsync(
            application.Resources.OfType<DatabaseResource>().FirstOrDefault(d => d.Name == "dispatcherdb")?.ConnectionString), "text/html"));
        app.MapGet("/api/traces", (string? q) => Results.Json(application.Traces.Recent(q)));
        app.MapGet("/api/traces/{traceId}", (string traceId) => Results.Json(application.Traces.Trace(traceId)));
        await app.StartAsync();
        return new DashboardServer(app, new Uri($"http://127.0.0.1:{port}/"));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
