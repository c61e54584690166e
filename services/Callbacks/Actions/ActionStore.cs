using ContextPush.ServiceDefaults.Idempotency;
using Npgsql;

namespace ContextPush.Callbacks.Actions;

/// <summary>
/// Every accepted action, once per delta, action and person: a repeated click changes nothing. Its row
/// is the claim of <see cref="ClaimProtocol"/>: recorded unpublished, then marked published once the
/// broker confirmed its <c>CardActioned</c>.
/// </summary>
public sealed class ActionStore(NpgsqlDataSource state) : IClaimLedger
{
    /// <summary>A row is not leased: it stays this click's until published (a publish takes milliseconds).</summary>
    public TimeSpan Lease => TimeSpan.FromMinutes(1);

    /// <summary>Its tables, created at start (AddNpgsqlSchema).</summary>
    public const string Schema = """
        CREATE TABLE IF NOT EXISTS card_actions (
            id             bigserial   PRIMARY KEY,
            delta_id       uuid        NOT NULL,
            correlation_id uuid        NOT NULL,
            push_id        text        NOT NULL,
            account_key    text        NOT NULL,
            action         text        NOT NULL,
            actor_id       text        NOT NULL,
            actor_name     text,
            channel        text        NOT NULL,
            message_id     text,
            acted_at       timestamptz NOT NULL,
            snooze_days    integer,
            time_to_action interval,
            UNIQUE (delta_id, action, actor_id)
        );
        -- False until CardActioned was confirmed by the broker: a click whose process died in between is
        -- published by the person's next click instead of being swallowed as a repeat.
        ALTER TABLE card_actions ADD COLUMN IF NOT EXISTS published boolean NOT NULL DEFAULT true;
        """;

    /// <summary>
    /// Claimed when this is the first time this person took this action on this card, or when the first
    /// time was recorded but never published (its process died in between): either way, publish it.
    /// </summary>
    public async Task<ClaimTicket> TryClaimAsync(RecordedAction action, CancellationToken ct)
    {
        await using var command = state.CreateCommand("""
            INSERT INTO card_actions (delta_id, correlation_id, push_id, account_key, action, actor_id, actor_name, channel, message_id, acted_at,
                                      snooze_days, time_to_action, published)
            VALUES (@delta, @correlation, @push, @account, @action, @actor, @name, @channel, @message, @at, @snooze, @latency, false)
            ON CONFLICT (delta_id, action, actor_id) DO UPDATE SET published = false WHERE NOT card_actions.published
            """);
        command.Parameters.AddWithValue("delta", action.Card.DeltaId);
        command.Parameters.AddWithValue("correlation", action.Card.CorrelationId);
        command.Parameters.AddWithValue("push", action.Card.PushId);
        command.Parameters.AddWithValue("account", action.Card.AccountKey);
        command.Parameters.AddWithValue("action", action.Action.ToString());
        command.Parameters.AddWithValue("actor", action.ActorId);
        command.Parameters.AddWithValue("name", (object?)action.ActorName ?? DBNull.Value);
        command.Parameters.AddWithValue("channel", action.Channel);
        command.Parameters.AddWithValue("message", (object?)action.MessageId ?? DBNull.Value);
        command.Parameters.AddWithValue("at", action.ActedAt);
        command.Parameters.AddWithValue("snooze", (object?)action.SnoozeDays ?? DBNull.Value);
        command.Parameters.AddWithValue("latency", (object?)action.TimeToAction ?? DBNull.Value);
        var claimed = await command.ExecuteNonQueryAsync(ct) == 1;
        return new ClaimTicket("callbacks", action.Card.DeltaId, $"{action.Action}:{action.ActorId}", claimed ? ClaimOutcome.Claimed : ClaimOutcome.AlreadyDone);
    }

    public Task<bool> RenewAsync(ClaimTicket ticket, CancellationToken ct) => Task.FromResult(true);

    /// <summary>
    /// Nothing to give back: the row stays unpublished and the person's next click publishes it, rather
    /// than a retry racing a delete of what that retry published.
    /// </summary>
    public Task ReleaseAsync(ClaimTicket ticket) => Task.CompletedTask;

    /// <summary>The actions on a push's cards, or on one delta's, newest first.</summary>
    public async Task<IReadOnlyList<ActionListing>> ListAsync(string? pushId, Guid? deltaId, int limit, CancellationToken ct)
    {
        await using var command = state.CreateCommand("""
            SELECT delta_id, push_id, account_key, action, actor_id, actor_name, channel, acted_at, snooze_days, time_to_action
            FROM card_actions
            WHERE (@push::text IS NULL OR push_id = @push) AND (@delta::uuid IS NULL OR delta_id = @delta)
            ORDER BY acted_at DESC, id DESC LIMIT @limit
            """);
        command.Parameters.Add(new NpgsqlParameter<string?>("push", pushId));
        command.Parameters.Add(new NpgsqlParameter<Guid?>("delta", deltaId));
        command.Parameters.AddWithValue("limit", limit);
        var actions = new List<ActionListing>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            actions.Add(new ActionListing(reader.GetGuid(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
                reader.IsDBNull(5) ? null : reader.GetString(5), reader.GetString(6), reader.GetFieldValue<DateTimeOffset>(7),
                reader.IsDBNull(8) ? null : reader.GetInt32(8), reader.IsDBNull(9) ? null : reader.GetTimeSpan(9)));
        }

        return actions;
    }

    public async Task PublishedAsync(RecordedAction action, CancellationToken ct)
    {
        await using var command = state.CreateCommand(
            "UPDATE card_actions SET published = true WHERE delta_id = @delta AND action = @action AND actor_id = @actor");
        command.Parameters.AddWithValue("delta", action.Card.DeltaId);
        command.Parameters.AddWithValue("action", action.Action.ToString());
        command.Parameters.AddWithValue("actor", action.ActorId);
        await command.ExecuteNonQueryAsync(ct);
    }
}
