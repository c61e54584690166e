using System.Text.Json;
using ContextPush.Contracts;
using Npgsql;

namespace ContextPush.Throttler.Throttling;

/// <summary>Deltas held back by an owner's budget until the push's digest time, in PostgreSQL: never silently dropped.</summary>
public sealed class HeldForDigest(NpgsqlDataSource state)
{
    /// <summary>Its tables, created at start (AddNpgsqlSchema).</summary>
    public const string Schema = """
            CREATE TABLE IF NOT EXISTS held_for_digest (
                delta_id  uuid        PRIMARY KEY,
                push_id   text        NOT NULL,
                owner_key text        NOT NULL,
                due_at    timestamptz NOT NULL,
                held_at   timestamptz NOT NULL,
                assembled jsonb       NOT NULL,
                sent_at   timestamptz
            );
            CREATE INDEX IF NOT EXISTS held_for_digest_due ON held_for_digest (due_at) WHERE sent_at IS NULL;
            """;

    public sealed record Group(string PushId, string OwnerKey, DateTimeOffset DueAt, List<ContextAssembled> Items);

    public async Task HoldAsync(ContextAssembled assembled, string ownerKey, DateTimeOffset dueAt, DateTimeOffset now, CancellationToken ct)
    {
        await using var command = state.CreateCommand("""
            INSERT INTO held_for_digest (delta_id, push_id, owner_key, due_at, held_at, assembled)
            VALUES (@delta, @push, @owner, @due, @now, @assembled::jsonb) ON CONFLICT (delta_id) DO NOTHING
            """);
        command.Parameters.AddWithValue("delta", assembled.DeltaId);
        command.Parameters.AddWithValue("push", assembled.Delta.PushId);
        command.Parameters.AddWithValue("owner", ownerKey);
        command.Parameters.AddWithValue("due", dueAt);
        command.Parameters.AddWithValue("now", now);
        command.Parameters.AddWithValue("assembled", JsonSerializer.Serialize(assembled));
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>
    /// Sends every due group through <paramref name="publish"/> and marks it sent in the same
    /// transaction; rows are locked with SKIP LOCKED, so two replicas never send the same digest. A
    /// crash after publishing re-sends it, and the Dispatcher recognises its DigestId.
    /// </summary>
    public async Task<int> SendDueAsync(DateTimeOffset now, Func<Group, Task> publish, CancellationToken ct)
    {
        await using var connection = await state.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var groups = new Dictionary<(string, string, DateTimeOffset), Group>();
        await using (var due = new NpgsqlCommand("""
            SELECT push_id, owner_key, due_at, assembled::text FROM held_for_digest
            WHERE sent_at IS NULL AND due_at <= @now
            ORDER BY held_at
            FOR UPDATE SKIP LOCKED
            """, connection, transaction))
        {
            due.Parameters.AddWithValue("now", now);
            await using var reader = await due.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                var key = (reader.GetString(0), reader.GetString(1), reader.GetFieldValue<DateTimeOffset>(2));
                if (!groups.TryGetValue(key, out var group))
                {
                    groups[key] = group = new Group(key.Item1, key.Item2, key.Item3, []);
                }

                group.Items.Add(JsonSerializer.Deserialize<ContextAssembled>(reader.GetString(3))!);
            }
        }

        foreach (var group in groups.Values)
        {
            await publish(group);
            await using var sent = new NpgsqlCommand("UPDATE held_for_digest SET sent_at = @now WHERE delta_id = ANY(@deltas)", connection, transaction);
            sent.Parameters.AddWithValue("now", now);
            sent.Parameters.AddWithValue("deltas", group.Items.Select(i => i.DeltaId).ToArray());
            await sent.ExecuteNonQueryAsync(ct);
        }

        await transaction.CommitAsync(ct);
        return groups.Count;
    }
}
