using ContextPush.Detector.Detection;
using ContextPush.Detector.Runs;
using MassTransit;

namespace ContextPush.Detector.Pushes;

/// <summary>The push listing, run triggers (e.g. from a dbt job's on-run-end hook) and previews.</summary>
public static class PushEndpoints
{
    public static IEndpointRouteBuilder MapPushEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/pushes", async (PushCatalog catalog, RunStore runs, CancellationToken ct) =>
        {
            var latest = await runs.LatestAsync(ct);
            return Results.Ok(new
            {
                pushes = catalog.Pushes.Select(p => new
            {
                    id = p.Id,
                    description = p.Description,
                    file = p.File,
                    schedule = p.Schedule,
                    timeZone = p.TimeZone.Id,
                    valid = true,
                    lastRun = latest.GetValueOrDefault(p.Id),
                    lastError = latest.GetValueOrDefault(p.Id)?.Error,
                }),
                invalid = catalog.Errors.Select(e => new { file = e.File, line = e.Line, field = e.Field, error = e.Message, valid = false }),
            });
        });

        // Every valid push, now: the AppHost dashboard's "Run pushes now" command; each push is locked and run on its own.
        app.MapPost("/pushes/runs", (PushCatalog catalog, PushRunner runner, IHostApplicationLifetime lifetime) =>
        {
            var started = catalog.Pushes.Select(push =>
            {
                var runId = NewId.NextGuid();
                _ = Task.Run(() => runner.RunAsync(push, "api", runId, lifetime.ApplicationStopping), lifetime.ApplicationStopping);
                return new { pushId = push.Id, runId, status = "started" };
            }).ToList();
            return Results.Accepted("/pushes", new { runs = started });
        });

        // ?wait=true answers when the run has finished, for callers that need its outcome (tests, scripts).
        app.MapPost("/pushes/{id}/runs", async (string id, bool? wait, PushCatalog catalog, PushRunner runner,
            IHostApplicationLifetime lifetime, CancellationToken ct) =>
        {
            if (catalog.Find(id) is not { } push)
            {
                return NotFound(catalog, id);
            }

            var runId = NewId.NextGuid();
            if (wait != true)
            {
                _ = Task.Run(() => runner.RunAsync(push, "api", runId, lifetime.ApplicationStopping), lifetime.ApplicationStopping);
                return Results.Accepted($"/pushes/{id}/runs/{runId}", new { pushId = id, runId, status = "started" });
            }

            var run = await runner.RunAsync(push, "api", runId, ct);
            return run.Status == "skipped" ? Results.Conflict(run) : Results.Ok(run);
        });

        // The run history, newest first, a page at a time: `next` is the address of the following page.
        app.MapGet("/pushes/{id}/runs", async (string id, int? limit, string? before, PushCatalog catalog, RunStore runs, CancellationToken ct) =>
        {
            var size = Math.Clamp(limit ?? 50, 1, 500);
            var cursor = before is null ? null : RunCursor.Parse(before);
            if (before is not null && cursor is null)
            {
                return Results.Problem(statusCode: 400, title: "Bad cursor", detail: $"before: '{before}' is not the cursor of a page's next");
            }

            var page = await runs.ListAsync(id, cursor, size, ct);
            if (page.Count == 0 && before is null && catalog.Find(id) is null)
            {
                return NotFound(catalog, id);
            }

            var next = page.Count == size ? $"/pushes/{Uri.EscapeDataString(id)}/runs?limit={size}&before={Uri.EscapeDataString(RunCursor.Of(page[^1]))}" : null;
            return Results.Ok(new { pushId = id, runs = page, next });
        });

        app.MapGet("/pushes/{id}/runs/{runId:guid}", async (string id, Guid runId, RunStore runs, CancellationToken ct) =>
            await runs.FindAsync(id, runId, ct) is { } run ? Results.Ok(run) : Results.NotFound());

        app.MapPost("/pushes/{id}/preview", async (string id, int? limit, PushCatalog catalog, PushRunner runner, CancellationToken ct) =>
        {
            if (catalog.Find(id) is not { } push)
            {
                return NotFound(catalog, id);
            }

            try
            {
                return Results.Ok(await runner.PreviewAsync(push, Math.Clamp(limit ?? 20, 1, 1000), ct));
            }
            catch (PushRunFailedException e)
            {
                return Results.Problem(statusCode: 422, title: $"Push '{id}' cannot run", detail: e.Message);
            }
        });

        // One account's story: in the cohort now or not, its values against the last notified ones and the tolerances.
        app.MapGet("/pushes/{id}/accounts/{account}", async (string id, string account, PushCatalog catalog, AccountStories stories, CancellationToken ct) =>
            catalog.Find(id) is { } push ? Results.Ok(await stories.TellAsync(push, account, ct)) : NotFound(catalog, id));

        app.MapPost("/pushes/reload", async (PushCatalog catalog, CancellationToken ct) =>
        {
            await catalog.ReloadAsync(force: true, ct);
            return Results.Ok(new { valid = catalog.Pushes.Select(p => p.Id), invalid = catalog.Errors });
        });

        return app;
    }

    private static IResult NotFound(PushCatalog catalog, string id) => Results.Problem(statusCode: 404, title: $"No valid push '{id}'",
        detail: catalog.Errors.FirstOrDefault(e => Path.GetFileNameWithoutExtension(e.File) == id)?.ToString());
}
