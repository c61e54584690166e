using System.Collections.Concurrent;
using System.Text.Json;
using ContextPush.Contracts;
using Npgsql;

namespace ContextPush.Dispatcher.Reports;

/// <summary>
/// Each push's delivery settings as its latest card carried them: where its weekly adoption card goes.
/// The Dispatcher learns pushes only from their deltas, so it keeps what it saw; written only when a
/// push's settings change, so a card costs no extra round trip.
/// </summary>
public sealed class PushDestinations(NpgsqlDataSource state, ILogger<PushDestinations> logger)
{
    public const string Schema = """
        CREATE TABLE IF NOT EXISTS push_destinations (
            push_id  text        PRIMARY KEY,
            delivery jsonb       NOT NULL,
            seen_at  timestamptz NOT NULL
        );
        """;

    private readonly ConcurrentDictionary<string, string> _written = new();

    /// <summary>Never fails the card it is called for: a lost write is written with the push's next card.</summary>
    public async Task RememberAsync(string pushId, DeliverySettings delivery, DateTimeOffset at, CancellationToken ct)
    {
        var json = JsonSerializer.Serialize(delivery);
        if (_written.TryGetValue(pushId, out var known) && known == json)
        {
            return;
        }

        await using var command = state.CreateCommand("""
            INSERT INTO push_destinations (push_id, delivery, seen_at) VALUES (@push, @delivery::jsonb, @at)
            ON CONFLICT (push_id) DO UPDATE SET delivery = excluded.delivery, seen_at = excluded.seen_at
            """);
        command.Parameters.AddWithValue("push", pushId);
        command.Parameters.AddWithValue("delivery", json);
        command.Parameters.AddWithValue("at", at);
        try
        {
            await command.ExecuteNonQueryAsync(ct);
            _written[pushId] = json;
        }
        catch (NpgsqlException e)
        {
            logger.LogWarning("The delivery settings of push {PushId} could not be kept ({Error}); kept with its next card", pushId, e.Message);
        }
    }

    public async Task<DeliverySettings?> FindAsync(string pushId, CancellationToken ct)
    {
        await using var command = state.CreateCommand("SELECT delivery::text FROM push_destinations WHERE push_id = @push");
        command.Parameters.AddWithValue("push", pushId);
        return await command.ExecuteScalarAsync(ct) is string json ? JsonSerializer.Deserialize<DeliverySettings>(json) : null;
    }
}
