using Npgsql;

namespace ContextPush.Callbacks.Actions;

/// <summary>Every accepted action, once per delta, action and person: a repeated click changes nothing.</summary>
public sealed class ActionStore(NpgsqlDataSource state)
{
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
    /// True when this is the first time this person took this action on this card, or when the first
    /// time was recorded but never published (its process died in between): either way, publish it.
    /// </summary>
    public async Task<bool> TryRecordAsync(RecordedAction action, CancellationToken ct)
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
        return await command.ExecuteNonQueryAsync(ct) == 1;
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
