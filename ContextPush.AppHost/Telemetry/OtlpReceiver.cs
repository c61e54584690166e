using ContextPush.LocalServers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace ContextPush.AppHost.Telemetry;

/// <summary>
/// Receives OTLP/HTTP (protobuf) from the services on a loopback port of its own, as Aspire's
/// dashboard does: traces go into the <see cref="TraceStore"/>; metrics and logs are accepted (so the
/// exporters stay quiet) and not kept yet.
/// </summary>
public sealed class OtlpReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;

    private OtlpReceiver(WebApplication app, Uri endpoint, TraceStore traces)
    {
        _app = app;
        Endpoint = endpoint;
        Traces = traces;
    }

    /// <summary>The OTEL_EXPORTER_OTLP_ENDPOINT to give the services.</summary>
    public Uri Endpoint { get; }

    public TraceStore Traces { get; }

    public static async Task<OtlpReceiver> StartAsync(TraceStore traces)
    {
        var port = FreePort.Next();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.MapPost("/v1/traces", async (HttpRequest request) =>
        {
            using var body = new MemoryStream();
            await request.Body.CopyToAsync(body);
            traces.Add(OtlpTraceDecoder.Decode(body.ToArray()));
            return Results.Bytes([], "application/x-protobuf");
        });
        app.MapPost("/v1/metrics", () => Results.Bytes([], "application/x-protobuf"));
        app.MapPost("/v1/logs", () => Results.Bytes([], "application/x-protobuf"));
        await app.StartAsync();
        return new OtlpReceiver(app, new Uri($"http://127.0.0.1:{port}"), traces);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
