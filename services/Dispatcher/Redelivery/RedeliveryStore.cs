using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Npgsql;

namespace ContextPush.Dispatcher.Redelivery;

/// <summary>
/// Cards to be tried again, with when: a due-time table in the Dispatcher's own database. RabbitMQ
/// 3.10 has no delayed delivery without a plugin, and a table keeps what is waiting, since when and
/// why, where on-call can read it; <see cref="RedeliverySweeper"/> sends each card back to its
/// queue when it is due. The row stays (without a due time) until the card is delivered or refused,
/// so the horizon counts from the first failure however many attempts follow. A row outlives a
/// crash of any replica; a card sent twice is absorbed by the delivery claim.
/// </summary>
public sealed class RedeliveryStore(NpgsqlDataSource state, IOptions<DispatcherOptions> options)
{
    public const string Schema = """
        CREATE TABLE IF NOT EXISTS redeliveries (
            delta_id        uuid        PRIMARY KEY,
            message_type    text        NOT NULL,
            message         jsonb       NOT NULL,
            trace_parent    text,
            attempts        integer     NOT NULL,
            first_failed_at timestamptz NOT NULL,
            -- Null while the card is back in its queue.
            due_at          timestamptz,
            last_error      text        NOT NULL
        );
        CREATE INDEX IF NOT EXISTS redeliveries_due ON redeliveries (due_at);
        """;

    private RedeliveryOptions Settings => options.Value.Redelivery;

    /// <summary>
    /// Records one more failed attempt and when the next is due; a plan without a due time when the
    /// card has been failing for longer than the horizon (its row is then removed, and the caller gives up).
    /// </summary>
    public async Task<RedeliveryPlan> ScheduleAsync<T>(Guid deltaId, T message, string error, DateTimeOffset now, CancellationToken ct)
    {
        // No due time until the delay is known below, so a sweep in between cannot send it early.
        await using var command = state.CreateCommand("""
            INSERT INTO redeliveries (delta_id, message_type, message, trace_parent, attempts, first_failed_at, due_at, last_error)
            VALUES (@delta, @type, @message::jsonb, @trace, 1, @now, NULL, @error)
            ON CONFLICT (delta_id) DO UPDATE SET attempts = redeliveries.attempts + 1, last_error = excluded.last_error,
                message = excluded.message, trace_parent = excluded.trace_parent, due_at = NULL
            RETURNING attempts, first_failed_at
            """);
        command.Parameters.AddWithValue("delta", deltaId);
        command.Parameters.AddWithValue("type", typeof(T).Name);
        command.Parameters.AddWithValue("message", JsonSerializer.Serialize(message));
        command.Parameters.AddWithValue("trace", (object?)Activity.Current?.Id ?? DBNull.Value);
        command.Parameters.AddWithValue("now", now);
        command.Parameters.AddWithValue("error", error);
        int attempts;
        DateTimeOffset firstFailedAt;
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            await reader.ReadAsync(ct);
            attempts = reader.GetInt32(0);
            firstFailedAt = reader.GetFieldValue<DateTimeOffset>(1);
        }

        if (now - firstFailedAt >= Settings.Horizon)
        {
            await DeleteAsync(deltaId, CancellationToken.None);
            return new RedeliveryPlan(attempts, firstFailedAt, null, error);
        }

        var due = now + Delay(attempts);
        await using var schedule = state.CreateCommand("UPDATE redeliveries SET due_at = @due WHERE delta_id = @delta");
        schedule.Parameters.AddWithValue("delta", deltaId);
        schedule.Parameters.AddWithValue("due", due);
        await schedule.ExecuteNonQueryAsync(ct);
        return new RedeliveryPlan(attempts, firstFailedAt, due, error);
    }

    /// <summary>
    /// Sends what is due through <paramref name="send"/>, a batch at a time; rows that another replica
    /// is sending are skipped, not waited for. Answers how many were sent.
    /// </summary>
    public async Task<int> SendDueAsync(DateTimeOffset now, Func<string, JsonElement, string?, CancellationToken, Task> send, CancellationToken ct)
    {
        await using var connection = await state.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var due = new List<(Guid DeltaId, string Type, string Message, string? Trace)>();
        await using (var select = new NpgsqlCommand("""
            SELECT delta_id, message_type, message::text, trace_parent FROM redeliveries
            WHERE due_at <= @now ORDER BY due_at LIMIT 100 FOR UPDATE SKIP LOCKED
            """, connection, transaction))
        {
            select.Parameters.AddWithValue("now", now);
            await using var reader = await select.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                due.Add((reader.GetGuid(0), reader.GetString(1), reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3)));
            }
        }

        foreach (var (deltaId, type, message, trace) in due)
        {
            using var json = JsonDocument.Parse(message);
            await send(type, json.RootElement, trace, ct);
            // Sent before marked: a crash in between sends it once more, and the delivery claim absorbs that.
            await using var sent = new NpgsqlCommand("UPDATE redeliveries SET due_at = NULL WHERE delta_id = @delta", connection, transaction);
            sent.Parameters.AddWithValue("delta", deltaId);
            await sent.ExecuteNonQueryAsync(ct);
        }

        await transaction.CommitAsync(ct);
        return due.Count;
    }

    /// <summary>The card was delivered or refused: nothing is tried again.</summary>
    public async Task DeleteAsync(Guid deltaId, CancellationToken ct)
    {
        await using var command = state.CreateCommand("DELETE FROM redeliveries WHERE delta_id = @delta");
        command.Parameters.AddWithValue("delta", deltaId);
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>FirstDelay × 3^(n−1), at most MaxDelay, give or take a fifth so many cards due together spread out.</summary>
    private TimeSpan Delay(int attempts)
    {
        var growing = Settings.FirstDelay * Math.Pow(3, Math.Min(attempts - 1, 20));
        var delay = growing < Settings.MaxDelay ? growing : Settings.MaxDelay;
        return delay * (0.8 + (Random.Shared.NextDouble() * 0.4));
    }
}
