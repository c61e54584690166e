using ContextPush.ServiceDefaults.Messaging;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// GET /admin/error-queues: what is parked per queue. POST /admin/error-queues/replay?queue=&amp;push=&amp;deltaId=&amp;dryRun=&amp;limit=:
/// moves parked messages back. For the cluster's own network and the AppHost's dashboard commands;
/// never routed from outside.
/// </summary>
public static class ErrorQueueEndpoints
{
    public static IEndpointRouteBuilder MapErrorQueueEndpoints(this IEndpointRouteBuilder app)
    {
        if (app.ServiceProvider.GetService<ErrorQueueReplay>() is null)
        {
            return app;
        }

        app.MapGet("/admin/error-queues", async (ErrorQueueReplay replay, CancellationToken ct) =>
            Results.Ok((await replay.ListAsync(ct)).Select(q => new { q.Queue, q.ErrorQueue, q.Parked })));
        app.MapPost("/admin/error-queues/replay", async (string? queue, string? push, string? deltaId, bool? dryRun, int? limit,
            ErrorQueueReplay replay, CancellationToken ct) =>
        {
            Guid? delta = null;
            if (!string.IsNullOrEmpty(deltaId))
            {
                if (!Guid.TryParse(deltaId, out var parsed))
                {
                    return Results.Problem($"deltaId '{deltaId}' is not a DeltaId (a GUID such as 0b6f8c2e-…)", statusCode: StatusCodes.Status400BadRequest);
                }

                delta = parsed;
            }

            if (limit is < 1)
            {
                return Results.Problem($"limit {limit} must be at least 1", statusCode: StatusCodes.Status400BadRequest);
            }

            try
            {
                var filter = new ReplayFilter(string.IsNullOrEmpty(push) ? null : push, delta);
                var results = await replay.ReplayAsync(string.IsNullOrEmpty(queue) ? null : queue, filter, dryRun ?? false, limit ?? 10_000, ct);
                return Results.Ok(new { DryRun = dryRun ?? false, Matched = results.Sum(r => r.Matched), Moved = results.Sum(r => r.Moved), Queues = results });
            }
            catch (ArgumentException e)
            {
                return Results.Problem(e.Message, statusCode: StatusCodes.Status400BadRequest);
            }
        });
        return app;
    }
}
