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
        """;

    /// <summary>True when this is the first time this person took this action on this card.</summary>
    public async Task<bool> TryRecordAsync(RecordedAction action, CancellationToken ct)
    {
        await using var command = state.CreateCommand("""
            INSERT INTO card_actions (delta_id, correlation_id, push_id, account_key, action, actor_id, actor_name, channel, message_id, acted_at,
                                      snooze_days, time_to_action)
            VALUES (@delta, @correlation, @push, @account, @action, @actor, @name, @channel, @message, @at, @snooze, @latency)
            ON CONFLICT (delta_id, action, actor_id) DO NOTHING
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

    /// <summary>Undoes a record whose event could not be published, so the person's retry is not swallowed.</summary>
    public async Task ForgetAsync(RecordedAction action, CancellationToken ct)
    {
        await using var command = state.CreateCommand("DELETE FROM card_actions WHERE delta_id = @delta AND action = @action AND actor_id = @actor");
        command.Parameters.AddWithValue("delta", action.Card.DeltaId);
        command.Parameters.AddWithValue("action", action.Action.ToString());
        command.Parameters.AddWithValue("actor", action.ActorId);
        await command.ExecuteNonQueryAsync(ct);
    }
}
