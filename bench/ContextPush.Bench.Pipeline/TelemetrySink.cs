using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace ContextPush.Bench.Pipeline;

/// <summary>
/// An OTLP/HTTP receiver that takes every export and keeps only its size, standing in for the collector
/// a platform team runs: the services pay for their spans, metrics and logs as they would in production,
/// instead of retrying against a port where nothing listens.
/// </summary>
internal sealed class TelemetrySink : IAsyncDisposable
{
    private WebApplication _app = null!;
    private readonly long[] _bytes = new long[3]; // traces, metrics, logs

    public Uri Endpoint { get; private set; } = null!;

    /// <summary>Bytes received so far, by signal.</summary>
    public (long Traces, long Metrics, long Logs) Bytes => (Interlocked.Read(ref _bytes[0]), Interlocked.Read(ref _bytes[1]), Interlocked.Read(ref _bytes[2]));

    public static async Task<TelemetrySink> StartAsync()
    {
        var sink = new TelemetrySink();
        (sink._app, var address) = await LoopbackApp.StartAsync(app =>
        {
            app.MapPost("/v1/traces", (HttpRequest r) => sink.TakeAsync(r, 0));
            app.MapPost("/v1/metrics", (HttpRequest r) => sink.TakeAsync(r, 1));
            app.MapPost("/v1/logs", (HttpRequest r) => sink.TakeAsync(r, 2));
        });
        sink.Endpoint = new Uri(address.ToString().TrimEnd('/'));
        return sink;
    }

    /// <summary>Counts the export's bytes and answers an empty Export*ServiceResponse (a valid protobuf message of no bytes).</summary>
    private async Task<IResult> TakeAsync(HttpRequest request, int signal)
    {
        var buffer = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(buffer)) > 0)
        {
            Interlocked.Add(ref _bytes[signal], read);
        }

        return Results.Bytes([], "application/x-protobuf");
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
