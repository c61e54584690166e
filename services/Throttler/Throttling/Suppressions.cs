using System.Text.Json;
using Npgsql;

namespace ContextPush.Throttler.Throttling;

/// <summary>
/// People's answers to cards, kept in PostgreSQL so they survive restarts: "Mark as reviewed" holds an
/// account until its values move beyond the push's tolerance from what was reviewed; "Snooze N days"
/// holds it until then. The latest answer of each kind per push and account counts.
/// </summary>
public sealed class Suppressions(NpgsqlDataSource state)
{
    /// <summary>Its tables, created at start (AddNpgsqlSchema).</summary>
    public const string Schema = """
            CREATE TABLE IF NOT EXISTS suppressions (
                push_id     text        NOT NULL,
                account_key text        NOT NULL,
                kind        text        NOT NULL,
                actor       text        NOT NULL,
                acted_at    timestamptz NOT NULL,
                until       timestamptz,
                metrics     jsonb,
                PRIMARY KEY (push_id, account_key, kind)
            );
            """;

    public sealed record Reviewed(string Actor, DateTimeOffset At, IReadOnlyDictionary<string, decimal?> Metrics);

    public sealed record Snoozed(string Actor, DateTimeOffset Until);

    public Task ReviewAsync(string pushId, string accountKey, string actor, DateTimeOffset at, IReadOnlyDictionary<string, decimal?> metrics, CancellationToken ct) =>
        UpsertAsync(pushId, accountKey, "reviewed", actor, at, null, JsonSerializer.Serialize(metrics), ct);

    public Task SnoozeAsync(string pushId, string accountKey, string actor, DateTimeOffset at, DateTimeOffset until, CancellationToken ct) =>
        UpsertAsync(pushId, accountKey, "snoozed", actor, at, until, null, ct);

    /// <summary>A new card replaces what people said about the old one.</summary>
    public async Task ClearReviewAsync(string pushId, string accountKey, CancellationToken ct)
    {
        await using var command = state.CreateCommand("DELETE FROM suppressions WHERE push_id = @push AND account_key = @account AND kind = 'reviewed'");
        command.Parameters.AddWithValue("push", pushId);
        command.Parameters.AddWithValue("account", accountKey);
        await command.ExecuteNonQueryAsync(ct);
    }

    public async Task<(Reviewed? Reviewed, Snoozed? Snoozed)> FindAsync(string pushId, string accountKey, CancellationToken ct)
    {
        await using var command = state.CreateCommand(
            "SELECT kind, actor, acted_at, until, metrics::text FROM suppressions WHERE push_id = @push AND account_key = @account");
        command.Parameters.AddWithValue("push", pushId);
        command.Parameters.AddWithValue("account", accountKey);
        Reviewed? reviewed = null;
        Snoozed? snoozed = null;
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            if (reader.GetString(0) == "reviewed")
            {
                reviewed = new Reviewed(reader.GetString(1), reader.GetFieldValue<DateTimeOffset>(2),
                    JsonSerializer.Deserialize<Dictionary<string, decimal?>>(reader.GetString(4))!);
            }
            else
            {
                snoozed = new Snoozed(reader.GetString(1), reader.GetFieldValue<DateTimeOffset>(3));
            }
        }

        return (reviewed, snoozed);
    }

    private async Task UpsertAsync(string pushId, string accountKey, string kind, string actor, DateTimeOffset at, DateTimeOffset? until, string? metrics, CancellationToken ct)
    {
        await using var command = state.CreateCommand("""
            INSERT INTO suppressions (push_id, account_key, kind, actor, acted_at, until, metrics)
            VALUES (@push, @account, @kind, @actor, @at, @until, @metrics::jsonb)
            ON CONFLICT (push_id, account_key, kind) DO UPDATE
                SET actor = excluded.actor, acted_at = excluded.acted_at, until = excluded.until, metrics = excluded.metrics
                WHERE suppressions.acted_at <= excluded.acted_at
            """);
        command.Parameters.AddWithValue("push", pushId);
        command.Parameters.AddWithValue("account", accountKey);
        command.Parameters.AddWithValue("kind", kind);
        command.Parameters.AddWithValue("actor", actor);
        command.Parameters.AddWithValue("at", at);
        command.Parameters.AddWithValue("until", (object?)until ?? DBNull.Value);
        command.Parameters.AddWithValue("metrics", (object?)metrics ?? DBNull.Value);
        await command.ExecuteNonQueryAsync(ct);
    }
}
