using Npgsql;

namespace ContextPush.Callbacks.Slack;

/// <summary>
/// Signatures seen within the timestamp tolerance, kept in PostgreSQL so every replica knows them: a
/// captured request sent again inside its five minutes is refused as a replay.
/// </summary>
public sealed class SeenSlackRequests(NpgsqlDataSource state)
{
    /// <summary>Its tables, created at start (AddNpgsqlSchema).</summary>
    public const string Schema = """
            CREATE TABLE IF NOT EXISTS seen_slack_requests (
                signature text        PRIMARY KEY,
                seen_at   timestamptz NOT NULL
            );
            """;

    /// <summary>True the first time a signature is seen; entries older than twice the tolerance are dropped as we go.</summary>
    public async Task<bool> FirstSightingAsync(string signature, DateTimeOffset now, TimeSpan tolerance, CancellationToken ct)
    {
        await using (var forget = state.CreateCommand("DELETE FROM seen_slack_requests WHERE seen_at < @forget"))
        {
            forget.Parameters.AddWithValue("forget", now - (tolerance * 2));
            await forget.ExecuteNonQueryAsync(ct);
        }

        await using var remember = state.CreateCommand(
            "INSERT INTO seen_slack_requests (signature, seen_at) VALUES (@signature, @now) ON CONFLICT DO NOTHING RETURNING true");
        remember.Parameters.AddWithValue("signature", signature);
        remember.Parameters.AddWithValue("now", now);
        return await remember.ExecuteScalarAsync(ct) is true;
    }
}
