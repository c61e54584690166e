using ContextPush.Contracts;
using Npgsql;

namespace ContextPush.Throttler.Throttling;

/// <summary>
/// Which accounts have a card out there, learnt from the Dispatcher's Delivered events: a resolution
/// (the account left the cohort) is only worth passing on when a card exists to mark resolved. A
/// resolution detected within moments of its card's delivery, before Delivered arrives here, finds
/// no card and is suppressed; detection runs are minutes apart, so in practice this does not happen.
/// </summary>
public sealed class SentCards(NpgsqlDataSource state)
{
    /// <summary>Its tables, created at start (AddNpgsqlSchema).</summary>
    public const string Schema = """
            CREATE TABLE IF NOT EXISTS sent_cards (
                push_id      text        NOT NULL,
                account_key  text        NOT NULL,
                delta_id     uuid        NOT NULL,
                channel      text        NOT NULL,
                delivered_at timestamptz NOT NULL,
                PRIMARY KEY (push_id, account_key, delta_id)
            );
            """;

    public async Task RecordAsync(string pushId, string accountKey, Guid deltaId, string channel, DateTimeOffset deliveredAt, CancellationToken ct)
    {
        await using var command = state.CreateCommand("""
            INSERT INTO sent_cards (push_id, account_key, delta_id, channel, delivered_at) VALUES (@push, @account, @delta, @channel, @at)
            ON CONFLICT DO NOTHING
            """);
        command.Parameters.AddWithValue("push", pushId);
        command.Parameters.AddWithValue("account", accountKey);
        command.Parameters.AddWithValue("delta", deltaId);
        command.Parameters.AddWithValue("channel", channel);
        command.Parameters.AddWithValue("at", deliveredAt);
        await command.ExecuteNonQueryAsync(ct);
    }

    public async Task RecordAsync(IReadOnlyList<Delivered> cards, CancellationToken ct)
    {
        await using var command = state.CreateCommand("""
            INSERT INTO sent_cards (push_id, account_key, delta_id, channel, delivered_at)
            SELECT * FROM unnest(@pushes, @accounts, @deltas, @channels, @ats)
            ON CONFLICT DO NOTHING
            """);
        command.Parameters.AddWithValue("pushes", cards.Select(c => c.PushId).ToArray());
        command.Parameters.AddWithValue("accounts", cards.Select(c => c.AccountKey).ToArray());
        command.Parameters.AddWithValue("deltas", cards.Select(c => c.DeltaId).ToArray());
        command.Parameters.AddWithValue("channels", cards.Select(c => c.Channel).ToArray());
        command.Parameters.AddWithValue("ats", cards.Select(c => c.DeliveredAt).ToArray());
        await command.ExecuteNonQueryAsync(ct);
    }

    public async Task<bool> ExistsAsync(string pushId, string accountKey, CancellationToken ct)
    {
        await using var command = state.CreateCommand("SELECT EXISTS (SELECT 1 FROM sent_cards WHERE push_id = @push AND account_key = @account)");
        command.Parameters.AddWithValue("push", pushId);
        command.Parameters.AddWithValue("account", accountKey);
        return (bool)(await command.ExecuteScalarAsync(ct))!;
    }
}
