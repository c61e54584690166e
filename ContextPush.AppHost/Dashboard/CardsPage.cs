using System.Text;
using System.Text.Json.Nodes;
using Npgsql;
using static ContextPush.AppHost.Dashboard.Html;

namespace ContextPush.AppHost.Dashboard;

/// <summary>The newest delivered cards as they look in Slack, whatever channel they went to, read from the Dispatcher's database.</summary>
internal static class CardsPage
{
    public static async Task<string> RenderAsync(string? dispatcherDb)
    {
        if (dispatcherDb is null)
        {
            return Page("Cards", "Cards", "<p class=\"muted\">The Dispatcher's database is not running.</p>");
        }

        var cards = new StringBuilder();
        try
        {
            await using var source = NpgsqlDataSource.Create(dispatcherDb);
            await using var command = source.CreateCommand("""
                SELECT delivered_at, push_id, account_key, channel, destination, coalesce(preview, card)::text
                FROM deliveries WHERE status = 'delivered' ORDER BY delivered_at DESC LIMIT 25
                """);
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                var preview = reader.IsDBNull(5) ? null : JsonNode.Parse(reader.GetString(5));
                cards.Append($"""
                    <p class="muted">{reader.GetFieldValue<DateTimeOffset>(0).ToLocalTime():HH:mm:ss} · push <b>{E(reader.GetString(1))}</b> ·
                    account {E(reader.GetString(2))} · {E(reader.IsDBNull(3) ? "" : reader.GetString(3))} → {E(reader.IsDBNull(4) ? "" : reader.GetString(4))}</p>
                    {BlockKitPreview.Render(preview)}
                    """);
            }
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UndefinedTable)
        {
            // The Dispatcher creates its table at start; until then there is nothing to show.
        }

        return Page("Recent cards", "Cards", cards.Length > 0 ? $"<div id=\"cards\">{cards}</div>" : "<p class=\"muted\">No card delivered yet.</p>", refreshSeconds: 5);
    }
}
