using System.Text.Json.Nodes;
using Npgsql;

namespace ContextPush.Dispatcher.Crm;

/// <summary>
/// The CRM tasks among the deliveries (rows with <c>delta_of</c>), and what the completion watch has
/// already seen: where a resolution or a click finds the task to close, and where a completion in the
/// CRM finds its delta.
/// </summary>
public sealed class CrmTaskStore(NpgsqlDataSource state)
{
    public const string Schema = """
        -- Per CRM: the change time up to which closed tasks were read.
        CREATE TABLE IF NOT EXISTS crm_watermarks (
            system    text        PRIMARY KEY,
            watermark timestamptz NOT NULL
        );
        -- Closed tasks already announced: the watermark's second is read again, and these are skipped.
        CREATE TABLE IF NOT EXISTS crm_completions (
            system  text        NOT NULL,
            task_id text        NOT NULL,
            seen_at timestamptz NOT NULL,
            PRIMARY KEY (system, task_id)
        );
        """;

    /// <summary>A task ContextPush wrote for a delta.</summary>
    public sealed record TaskRecord(Guid WorkId, Guid DeltaId, Guid CorrelationId, string PushId, string AccountKey, string System, string TaskId,
        JsonObject? Task, DateTimeOffset DeliveredAt, DateTimeOffset? ClosedAt, string Destination);

    private const string Columns = "delta_id, delta_of, correlation_id, push_id, account_key, channel, message_id, card::text, delivered_at, crm_closed_at, destination";

    /// <summary>The newest task of an account in a push that ContextPush has not closed: the one its resolution completes.</summary>
    public Task<TaskRecord?> LatestOpenAsync(string pushId, string accountKey, string system, CancellationToken ct) => FindAsync($"""
        SELECT {Columns} FROM deliveries
        WHERE push_id = @push AND account_key = @account AND channel = @system AND status = 'delivered' AND delta_of IS NOT NULL AND crm_closed_at IS NULL
        ORDER BY delivered_at DESC LIMIT 1
        """, ct, ("push", pushId), ("account", accountKey), ("system", system));

    /// <summary>The task written for a delta, in any CRM.</summary>
    public Task<TaskRecord?> OfDeltaAsync(Guid deltaId, CancellationToken ct) => FindAsync($"""
        SELECT {Columns} FROM deliveries WHERE delta_of = @delta AND status = 'delivered' ORDER BY delivered_at DESC LIMIT 1
        """, ct, ("delta", deltaId));

    /// <summary>Whether a task for the delta is being written now (claimed, not yet recorded either way).</summary>
    public async Task<bool> BeingWrittenAsync(Guid deltaId, CancellationToken ct)
    {
        await using var command = state.CreateCommand("SELECT 1 FROM deliveries WHERE delta_of = @delta AND status IN ('sending', 'retrying') LIMIT 1");
        command.Parameters.AddWithValue("delta", deltaId);
        return await command.ExecuteScalarAsync(ct) is not null;
    }

    /// <summary>
    /// Notes that ContextPush closes this task, before it asks the CRM to: the completion watch then never
    /// takes it for the owner's. Undone when the CRM did not take the change.
    /// </summary>
    public async Task MarkClosedAsync(Guid workId, DateTimeOffset? at, CancellationToken ct)
    {
        await using var command = state.CreateCommand("UPDATE deliveries SET crm_closed_at = @at WHERE delta_id = @work");
        command.Parameters.AddWithValue("work", workId);
        command.Parameters.AddWithValue("at", (object?)at ?? DBNull.Value);
        await command.ExecuteNonQueryAsync(ct);
    }

    public async Task<DateTimeOffset?> WatermarkAsync(string system, CancellationToken ct)
    {
        await using var command = state.CreateCommand("SELECT watermark FROM crm_watermarks WHERE system = @system");
        command.Parameters.AddWithValue("system", system);
        // Npgsql answers a scalar timestamptz as a DateTime in UTC.
        return await command.ExecuteScalarAsync(ct) is DateTime watermark ? new DateTimeOffset(watermark, TimeSpan.Zero) : null;
    }

    /// <summary>When ContextPush wrote its first task into this CRM, or null: where a first poll starts.</summary>
    public async Task<DateTimeOffset?> FirstTaskAsync(string system, CancellationToken ct)
    {
        await using var command = state.CreateCommand(
            "SELECT min(delivered_at) FROM deliveries WHERE channel = @system AND delta_of IS NOT NULL AND status = 'delivered'");
        command.Parameters.AddWithValue("system", system);
        return await command.ExecuteScalarAsync(ct) is DateTime first ? new DateTimeOffset(first, TimeSpan.Zero) : null;
    }

    /// <summary>Moves the watermark forward only: replicas polling at once never move it back.</summary>
    public async Task AdvanceAsync(string system, DateTimeOffset watermark, CancellationToken ct)
    {
        await using var command = state.CreateCommand("""
            INSERT INTO crm_watermarks (system, watermark) VALUES (@system, @watermark)
            ON CONFLICT (system) DO UPDATE SET watermark = greatest(crm_watermarks.watermark, excluded.watermark)
            """);
        command.Parameters.AddWithValue("system", system);
        command.Parameters.AddWithValue("watermark", watermark);
        await command.ExecuteNonQueryAsync(ct);
    }

    public async Task<bool> SeenAsync(string system, string taskId, CancellationToken ct)
    {
        await using var command = state.CreateCommand("SELECT 1 FROM crm_completions WHERE system = @system AND task_id = @task");
        command.Parameters.AddWithValue("system", system);
        command.Parameters.AddWithValue("task", taskId);
        return await command.ExecuteScalarAsync(ct) is not null;
    }

    public async Task MarkSeenAsync(string system, string taskId, DateTimeOffset now, CancellationToken ct)
    {
        await using var command = state.CreateCommand(
            "INSERT INTO crm_completions (system, task_id, seen_at) VALUES (@system, @task, @now) ON CONFLICT DO NOTHING");
        command.Parameters.AddWithValue("system", system);
        command.Parameters.AddWithValue("task", taskId);
        command.Parameters.AddWithValue("now", now);
        await command.ExecuteNonQueryAsync(ct);
    }

    private async Task<TaskRecord?> FindAsync(string sql, CancellationToken ct, params (string Name, object Value)[] parameters)
    {
        await using var command = state.CreateCommand(sql);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        await using var reader = await command.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct))
        {
            return null;
        }

        return new TaskRecord(reader.GetGuid(0), reader.GetGuid(1), reader.GetGuid(2), reader.GetString(3), reader.GetString(4), reader.GetString(5),
            reader.GetString(6), reader.IsDBNull(7) ? null : JsonNode.Parse(reader.GetString(7))?.AsObject(), reader.GetFieldValue<DateTimeOffset>(8),
            reader.IsDBNull(9) ? null : reader.GetFieldValue<DateTimeOffset>(9), reader.GetString(10));
    }
}
