namespace ContextPush.Callbacks.Adoption;

public static class AdoptionEndpoints
{
    /// <summary>
    /// GET /adoption?push=&amp;owner=&amp;since=&amp;ignoredAfterDays=: per push, the cards delivered since
    /// <c>since</c> (30 days ago by default) and what people did with them.
    /// </summary>
    public static IEndpointRouteBuilder MapAdoption(this IEndpointRouteBuilder app)
    {
        app.MapGet("/adoption", async (string? push, string? owner, DateTimeOffset? since, int? ignoredAfterDays, AdoptionStore adoption, NoisyPushes noisy,
            TimeProvider clock, CancellationToken ct) =>
        {
            if (ignoredAfterDays is < 1 or > 365)
            {
                return Results.Problem(statusCode: 400, title: "Bad window", detail: "ignoredAfterDays: between 1 and 365");
            }

            var now = clock.GetUtcNow();
            var from = (since ?? now.AddDays(-30)).ToUniversalTime();
            var window = TimeSpan.FromDays(ignoredAfterDays ?? 7);
            var pushes = await adoption.FiguresAsync(push, owner, from, window, now, ct);
            var flagged = (await noisy.FindAsync(now, ct)).Where(n => push is null || n.PushId == push);
            return Results.Ok(new { since = from, ignoredAfterDays = window.TotalDays, owner, pushes, noisy = flagged });
        });
        // The same, as a page: a chart per push. The AppHost's dashboard links here from the callbacks resource.
        app.MapGet("/adoption/page", async (string? push, string? owner, DateTimeOffset? since, AdoptionStore adoption, NoisyPushes noisy, TimeProvider clock,
            CancellationToken ct) =>
        {
            var now = clock.GetUtcNow();
            var from = (since ?? now.AddDays(-90)).ToUniversalTime();
            var window = TimeSpan.FromDays(7);
            var figures = await adoption.FiguresAsync(push, owner, from, window, now, ct);
            var histories = await adoption.HistoryAsync(push, owner, from, window, now, ct);
            var flagged = await noisy.FindAsync(now, ct);
            return Results.Content(AdoptionPage.Render(figures, histories, from, window, flagged), "text/html; charset=utf-8");
        });
        return app;
    }
}
