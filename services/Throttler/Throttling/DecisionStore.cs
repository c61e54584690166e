using Npgsql;

namespace ContextPush.Throttler.Throttling;

/// <summary>Every decision, kept in PostgreSQL, answering "why didn't I get this alert?".</summary>
public sealed class DecisionStore(NpgsqlDataSource state) : IHostedService
{
    private const string Schema = """
        CREATE TABLE IF NOT EXISTS decisions (
            delta_id       uuid        PRIMARY KEY,
            correlation_id uuid        NOT NULL,
            push_id        text        NOT NULL,
            account_key    text        NOT NULL,
            topic          text        NOT NULL,
            approved       boolean     NOT NULL,
            reason         text        NOT NULL,
            detail         text        NOT NULL,
            decided_at     timestamptz NOT NULL
        );
        CREATE INDEX IF NOT EXISTS decisions_push_account ON decisions (push_id, account_key, decided_at DESC);
        """;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var command = state.CreateCommand(Schema);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task<bool> ExistsAsync(Guid deltaId, CancellationToken ct)
    {
        await using var command = state.CreateCommand("SELECT EXISTS (SELECT 1 FROM decisions WHERE delta_id = @delta)");
        command.Parameters.AddWithValue("delta", deltaId);
        return (bool)(await command.ExecuteScalarAsync(ct))!;
    }

    public async Task RecordAsync(Decision decision, CancellationToken ct)
    {
        await using var command = state.CreateCommand("""
            INSERT INTO decisions (delta_id, correlation_id, push_id, account_key, topic, approved, reason, detail, decided_at)
            VALUES (@delta, @correlation, @push, @account, @topic, @approved, @reason, @detail, @decided)
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
        await command.ExecuteNonQueryAsync(ct);
    }
}
