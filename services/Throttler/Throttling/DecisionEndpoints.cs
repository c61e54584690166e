namespace ContextPush.Throttler.Throttling;

/// <summary>GET /decisions?push=&amp;account=&amp;since=: an analyst's "why didn't I get this alert?" in one call.</summary>
public static class DecisionEndpoints
{
    public static IEndpointRouteBuilder MapDecisionEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/decisions", async (string? push, string? account, DateTimeOffset? since, int? limit, DecisionStore decisions, CancellationToken ct) =>
            Results.Ok(await decisions.ListAsync(push, account, since, Math.Clamp(limit ?? 100, 1, 1000), ct)));
        return app;
    }
}
