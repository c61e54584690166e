using ContextPush.Detector.Detection;
using ContextPush.Detector.Runs;
using MassTransit;

namespace ContextPush.Detector.Pushes;

/// <summary>The push listing and run triggers (e.g. from a dbt job's on-run-end hook).</summary>
public static class PushEndpoints
{
    public static IEndpointRouteBuilder MapPushEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/pushes", (PushCatalog catalog, RunStore runs) => Results.Ok(new
        {
            pushes = catalog.Pushes.Select(p => new
            {
                id = p.Id,
                description = p.Description,
                file = p.File,
                schedule = p.Schedule,
                timeZone = p.TimeZone.Id,
                valid = true,
                lastRun = runs.Latest(p.Id),
            }),
            invalid = catalog.Errors.Select(e => new { file = e.File, field = e.Field, error = e.Message, valid = false }),
        }));

        // ?wait=true answers when the run has finished, for callers that need its outcome (tests, scripts).
        app.MapPost("/pushes/{id}/runs", async (string id, bool? wait, PushCatalog catalog, PushRunner runner,
            IHostApplicationLifetime lifetime, CancellationToken ct) =>
        {
            if (catalog.Find(id) is not { } push)
            {
                return Results.Problem(statusCode: 404, title: $"No valid push '{id}'",
                    detail: catalog.Errors.FirstOrDefault(e => Path.GetFileNameWithoutExtension(e.File) == id)?.ToString());
            }

            if (wait == true)
            {
                var finished = await runner.RunAsync(push, "api", NewId.NextGuid(), ct);
                return Results.Ok(finished);
            }

            var runId = NewId.NextGuid();
            _ = Task.Run(() => runner.RunAsync(push, "api", runId, lifetime.ApplicationStopping), lifetime.ApplicationStopping);
            return Results.Accepted($"/pushes/{id}/runs/{runId}", new { pushId = id, runId, status = "started" });
        });

        app.MapGet("/pushes/{id}/runs/{runId:guid}", async (string id, Guid runId, RunStore runs, CancellationToken ct) =>
            await runs.FindAsync(id, runId, ct) is { } run ? Results.Ok(run) : Results.NotFound());

        return app;
    }
}
