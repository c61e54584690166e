using System.Text.Json;
using Npgsql;

namespace ContextPush.Throttler.Throttling;

/// <summary>Every decision, kept in PostgreSQL, answering "why didn't I get this alert?".</summary>
public sealed class DecisionStore(NpgsqlDataSource state)
{
    /// <summary>Its tables, created at start (AddNpgsqlSchema).</summary>
    public const string Schema = """
        CREATE TABLE IF NOT EXISTS decisions (
            delta_id       uuid        PRIMARY KEY,
            correlation_id uuid        NOT NULL,
            push_id        text        NOT NULL,
            account_key    text        NOT NULL,
            topic          text        NOT NULL,
            approved       boolean     NOT NULL,
            reason         text        NOT NULL,
            detail         text        NOT NULL,
            decided_at     timestamptz NOT NULL,
            metrics        jsonb       NOT NULL DEFAULT '{}',
            numbers        jsonb       NOT NULL DEFAULT '{}'
        );
        CREATE INDEX IF NOT EXISTS decisions_push_account ON decisions (push_id, account_key, decided_at DESC);
        """;

    public async Task<bool> ExistsAsync(Guid deltaId, CancellationToken ct)
    {
        await using var command = state.CreateCommand("SELECT EXISTS (SELECT 1 FROM decisions WHERE delta_id = @delta)");
        command.Parameters.AddWithValue("delta", deltaId);
        return (bool)(await command.ExecuteScalarAsync(ct))!;
    }

    public async Task RecordAsync(Decision decision, CancellationToken ct)
    {
        await using var command = state.CreateCommand("""
            INSERT INTO decisions (delta_id, correlation_id, push_id, account_key, topic, approved, reason, detail, decided_at, metrics, numbers)
            VALUES (@delta, @correlation, @push, @account, @topic, @approved, @reason, @detail, @decided, @metrics::jsonb, @numbers::jsonb)
            ON CONFLICT (delta_id) DO NOTHING
            """);
        command.Parameters.AddWithValue("delta", decision.DeltaId);
        command.Parameters.AddWithValue("correlation", decision.CorrelationId);
        command.Parameters.AddWithValue("push", decision.PushId);
        command.Parameters.AddWithValue("account", decision.AccountKey);
        command.Parameters.AddWithValue("topic", decision.Topic);
        command.Parameters.AddWithValue("approved", decision.Approved);
        command.Parameters.AddWithValue("reason", decision.Reason);
        command.Parameters.AddWithValue("detail", decision.Detail);
        command.Parameters.AddWithValue("decided", decision.DecidedAt);
        command.Parameters.AddWithValue("metrics", JsonSerializer.Serialize(decision.Metrics));
        command.Parameters.AddWithValue("numbers", JsonSerializer.Serialize(decision.Numbers));
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>The metric values a delta's card showed, when this Throttler decided it.</summary>
    public async Task<IReadOnlyDictionary<string, decimal?>?> MetricsOfAsync(Guid deltaId, CancellationToken ct)
    {
        await using var command = state.CreateCommand("SELECT metrics::text FROM decisions WHERE delta_id = @delta");
        command.Parameters.AddWithValue("delta", deltaId);
        return await command.ExecuteScalarAsync(ct) is string json ? JsonSerializer.Deserialize<Dictionary<string, decimal?>>(json) : null;
    }

    /// <summary>"Why didn't I get this alert?": the decisions for a push and/or account, newest first.</summary>
    public async Task<IReadOnlyList<Decision>> ListAsync(string? pushId, string? accountKey, DateTimeOffset? since, int limit, CancellationToken ct)
    {
        await using var command = state.CreateCommand("""
            SELECT delta_id, correlation_id, push_id, account_key, topic, approved, reason, detail, decided_at, metrics::text, numbers::text
            FROM decisions
            WHERE (@push::text IS NULL OR push_id = @push) AND (@account::text IS NULL OR account_key = @account)
              AND (@since::timestamptz IS NULL OR decided_at >= @since)
            ORDER BY decided_at DESC
            LIMIT @limit
            """);
        command.Parameters.AddWithValue("push", (object?)pushId ?? DBNull.Value);
        command.Parameters.AddWithValue("account", (object?)accountKey ?? DBNull.Value);
        command.Parameters.AddWithValue("since", (object?)since ?? DBNull.Value);
        command.Parameters.AddWithValue("limit", limit);
        var decisions = new List<Decision>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            decisions.Add(new Decision(reader.GetGuid(0), reader.GetGuid(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
                reader.GetBoolean(5), reader.GetString(6), reader.GetString(7), reader.GetFieldValue<DateTimeOffset>(8))
            {
                Metrics = JsonSerializer.Deserialize<Dictionary<string, decimal?>>(reader.GetString(9))!,
                Numbers = JsonSerializer.Deserialize<Dictionary<string, string>>(reader.GetString(10))!,
            });
        }

        return decisions;
    }
}
