using System.Globalization;
using System.Text;
using ContextPush.Dispatcher.Delivery;
using static ContextPush.Dispatcher.Preview.PreviewHtml;

namespace ContextPush.Dispatcher.Preview;

/// <summary>
/// GET /cards: the newest delivered cards as people saw them, drawn as Block Kit whatever channel
/// they went to. The AppHost's dashboard links here from the dispatcher resource.
/// </summary>
public static class RecentCardsEndpoints
{
    public static IEndpointRouteBuilder MapRecentCards(this IEndpointRouteBuilder app)
    {
        app.MapGet("/cards", async (int? limit, DeliveryStore deliveries, CancellationToken ct) =>
        {
            var cards = await deliveries.RecentCardsAsync(Math.Clamp(limit ?? 25, 1, 200), ct);
            var body = new StringBuilder();
            foreach (var card in cards)
            {
                body.Append(CultureInfo.InvariantCulture, $"""
                    <p class="muted">{card.DeliveredAt:yyyy-MM-dd HH:mm:ss} UTC · push <b>{E(card.PushId)}</b> ·
                    account {E(card.AccountKey)} · {E(card.Channel)} → {E(card.Destination)}</p>
                    {BlockKitPreview.Render(card.Preview)}
                    """);
            }

            var html = Page("Recent cards", cards.Count > 0 ? $"<div id=\"cards\">{body}</div>" : "<p class=\"muted\">No card delivered yet.</p>", refreshSeconds: 5);
            return Results.Content(html, "text/html; charset=utf-8");
        });
        return app;
    }
}
