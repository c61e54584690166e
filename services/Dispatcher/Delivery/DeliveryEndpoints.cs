namespace ContextPush.Dispatcher.Delivery;

/// <summary>GET /deliveries?push=&amp;account=&amp;status=&amp;since=: what was delivered where, and what failed with the platform's own error.</summary>
public static class DeliveryEndpoints
{
    public static IEndpointRouteBuilder MapDeliveryEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/deliveries", async (string? push, string? account, string? status, DateTimeOffset? since, int? limit, DeliveryStore deliveries,
            CancellationToken ct) =>
            Results.Ok(await deliveries.ListAsync(push, status, since, Math.Clamp(limit ?? 100, 1, 1000), ct, account)));
        return app;
    }
}
