using Npgsql;

namespace ContextPush.Dispatcher.Delivery;

/// <summary>
/// One row per DeltaId: claimed ("sending") before the card is posted and completed ("delivered",
/// with the platform's message id) right after, so a redelivered approval never posts twice. The one
/// window left is a crash between the platform accepting the card and the completing UPDATE, a few
/// milliseconds; the redelivery then finds "sending" and posts again (at-least-once, never lost).
/// </summary>
public sealed class DeliveryStore(NpgsqlDataSource state) : IHostedService
{
    private const string Schema = """
        CREATE TABLE IF NOT EXISTS deliveries (
            delta_id       uuid        PRIMARY KEY,
            correlation_id uuid        NOT NULL,
            push_id        text        NOT NULL,
            account_key    text        NOT NULL,
            status         text        NOT NULL,
            channel        text,
            destination    text,
            message_id     text,
            claimed_at     timestamptz NOT NULL,
            delivered_at   timestamptz
        );
        """;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var command = state.CreateCommand(Schema);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>False when the delta's card was already delivered.</summary>
    public async Task<bool> TryClaimAsync(Guid deltaId, Guid correlationId, string pushId, string accountKey, DateTimeOffset now, CancellationToken ct)
    {
        await using var command = state.CreateCommand("""
            INSERT INTO deliveries (delta_id, correlation_id, push_id, account_key, status, claimed_at)
            VALUES (@delta, @correlation, @push, @account, 'sending', @now)
            ON CONFLICT (delta_id) DO UPDATE SET claimed_at = excluded.claimed_at WHERE deliveries.status <> 'delivered'
            """);
        command.Parameters.AddWithValue("delta", deltaId);
        command.Parameters.AddWithValue("correlation", correlationId);
        command.Parameters.AddWithValue("push", pushId);
        command.Parameters.AddWithValue("account", accountKey);
        command.Parameters.AddWithValue("now", now);
        return await command.ExecuteNonQueryAsync(ct) == 1;
    }

    public async Task CompleteAsync(Guid deltaId, SentCard card, DateTimeOffset now, CancellationToken ct)
    {
        await using var command = state.CreateCommand("""
            UPDATE deliveries SET status = 'delivered', channel = @channel, destination = @destination,
                message_id = @message, delivered_at = @now
            WHERE delta_id = @delta
            """);
        command.Parameters.AddWithValue("delta", deltaId);
        command.Parameters.AddWithValue("channel", card.Channel);
        command.Parameters.AddWithValue("destination", card.Destination);
        command.Parameters.AddWithValue("message", card.MessageId);
        command.Parameters.AddWithValue("now", now);
        await command.ExecuteNonQueryAsync(ct);
    }
}
