using System.Text.Json;
using ContextPush.Contracts;
using Npgsql;

namespace ContextPush.Callbacks.Adoption;

/// <summary>
/// What became of each delta, learnt from the pipeline's events (never from another service's tables):
/// the cards delivered, the deltas suppressed and why, the cards that failed. With the actions in
/// <c>card_actions</c> it answers "do people act on what this push sends?".
/// </summary>
public sealed class AdoptionStore(NpgsqlDataSource state)
{
    /// <summary>Its tables, created at start (AddNpgsqlSchema).</summary>
    public const string Schema = """
        CREATE TABLE IF NOT EXISTS adoption_cards (
            delta_id     uuid        PRIMARY KEY,
            push_id      text        NOT NULL,
            account_key  text        NOT NULL,
            owner        text,
            channel      text        NOT NULL,
            delivered_at timestamptz NOT NULL
        );
        CREATE INDEX IF NOT EXISTS adoption_cards_push ON adoption_cards (push_id, delivered_at);
        ALTER TABLE adoption_cards ADD COLUMN IF NOT EXISTS priority_score double precision;
        ALTER TABLE adoption_cards ADD COLUMN IF NOT EXISTS moves jsonb;
        CREATE TABLE IF NOT EXISTS adoption_reports (
            push_id      text        NOT NULL,
            due_at       timestamptz NOT NULL,
            published_at timestamptz NOT NULL,
            PRIMARY KEY (push_id, due_at)
        );
        CREATE TABLE IF NOT EXISTS adoption_noisy (
            push_id     text        PRIMARY KEY,
            flagged_at  timestamptz NOT NULL,
            explanation text        NOT NULL
        );
        CREATE TABLE IF NOT EXISTS adoption_suppressed (
            delta_id    uuid        PRIMARY KEY,
            push_id     text        NOT NULL,
            owner       text,
            reason      text        NOT NULL,
            decided_at  timestamptz NOT NULL
        );
        CREATE TABLE IF NOT EXISTS adoption_failed (
            delta_id   uuid        PRIMARY KEY,
            push_id    text        NOT NULL,
            owner      text,
            channel    text        NOT NULL,
            permanent  boolean     NOT NULL,
            failed_at  timestamptz NOT NULL
        );
        """;

    /// <summary>A card out there (idempotent: one row per delta).</summary>
    public Task DeliveredAsync(Guid deltaId, string pushId, string accountKey, string? owner, string channel, DateTimeOffset at, CancellationToken ct,
        double? priorityScore = null, IReadOnlyList<MetricMove>? moves = null) =>
        ExecuteAsync("""
            INSERT INTO adoption_cards (delta_id, push_id, account_key, owner, channel, delivered_at, priority_score, moves)
            VALUES (@delta, @push, @account, @owner, @channel, @at, @score, @moves::jsonb) ON CONFLICT DO NOTHING
            """, ct, ("delta", deltaId), ("push", pushId), ("account", accountKey), ("owner", owner), ("channel", channel), ("at", at),
            ("score", priorityScore), ("moves", moves is null ? null : JsonSerializer.Serialize(moves)));

    /// <summary>Cards out there, in one statement (idempotent: one row per delta).</summary>
    public Task DeliveredAsync(IReadOnlyList<Delivered> cards, CancellationToken ct) => cards.Count == 0 ? Task.CompletedTask : ExecuteAsync("""
        INSERT INTO adoption_cards (delta_id, push_id, account_key, owner, channel, delivered_at, priority_score, moves)
        SELECT * FROM unnest(@deltas, @pushes, @accounts, @owners, @channels, @ats, @scores, @moves::jsonb[])
        ON CONFLICT DO NOTHING
        """, ct,
        ("deltas", cards.Select(c => c.DeltaId).ToArray()), ("pushes", cards.Select(c => c.PushId).ToArray()),
        ("accounts", cards.Select(c => c.AccountKey).ToArray()), ("owners", cards.Select(c => c.Owner).ToArray()),
        ("channels", cards.Select(c => c.Channel).ToArray()), ("ats", cards.Select(c => c.DeliveredAt).ToArray()),
        ("scores", cards.Select(c => c.PriorityScore).ToArray()),
        ("moves", cards.Select(c => c.Moves is null ? null : JsonSerializer.Serialize(c.Moves)).ToArray()));

    public Task SuppressedAsync(Guid deltaId, string pushId, string? owner, string reason, DateTimeOffset at, CancellationToken ct) =>
        ExecuteAsync("""
            INSERT INTO adoption_suppressed (delta_id, push_id, owner, reason, decided_at)
            VALUES (@delta, @push, @owner, @reason, @at) ON CONFLICT DO NOTHING
            """, ct, ("delta", deltaId), ("push", pushId), ("owner", owner), ("reason", reason), ("at", at));

    /// <summary>A failure; a later delivery of the same delta (a replay) takes it out of the failed.</summary>
    public Task FailedAsync(Guid deltaId, string pushId, string? owner, string channel, bool permanent, DateTimeOffset at, CancellationToken ct) =>
        ExecuteAsync("""
            INSERT INTO adoption_failed (delta_id, push_id, owner, channel, permanent, failed_at)
            VALUES (@delta, @push, @owner, @channel, @permanent, @at) ON CONFLICT DO NOTHING
            """, ct, ("delta", deltaId), ("push", pushId), ("owner", owner), ("channel", channel), ("permanent", permanent), ("at", at));

    /// <summary>The figures per push for cards delivered since <paramref name="since"/>, optionally of one push or one owner.</summary>
    public async Task<IReadOnlyList<PushAdoption>> FiguresAsync(string? pushId, string? owner, DateTimeOffset since, TimeSpan ignoredAfter, DateTimeOffset now,
        CancellationToken ct)
    {
        var figures = new Dictionary<string, PushAdoption>();
        await using (var cards = Command(CardsSince + """
            SELECT push_id, count(*),
                   count(*) FILTER (WHERE opened), count(*) FILTER (WHERE reviewed), count(*) FILTER (WHERE snoozed),
                   count(*) FILTER (WHERE first_action <= @window),
                   count(*) FILTER (WHERE (first_action IS NULL OR first_action > @window) AND delivered_at < @now - @window),
                   percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM first_action)),
                   percentile_cont(0.9) WITHIN GROUP (ORDER BY extract(epoch FROM first_action))
            FROM cards GROUP BY push_id ORDER BY push_id
            """, ("since", since), ("push", pushId), ("owner", owner), ("window", ignoredAfter), ("now", now)))
        await using (var reader = await cards.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                var push = reader.GetString(0);
                figures[push] = new PushAdoption(push, reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4), reader.GetInt64(5),
                    reader.GetInt64(6), reader.IsDBNull(7) ? null : reader.GetDouble(7), reader.IsDBNull(8) ? null : reader.GetDouble(8));
            }
        }

        await using (var suppressed = Command("""
            SELECT push_id, reason, count(*) FROM adoption_suppressed
            WHERE decided_at >= @since AND (@push::text IS NULL OR push_id = @push) AND (@owner::text IS NULL OR owner = @owner)
            GROUP BY push_id, reason
            """, ("since", since), ("push", pushId), ("owner", owner)))
        await using (var reader = await suppressed.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                Of(reader.GetString(0)).SuppressedBy[reader.GetString(1)] = reader.GetInt64(2);
            }
        }

        // Failed and never delivered since: a replayed delivery counts as delivered only.
        await using (var failed = Command("""
            SELECT f.push_id, count(*) FROM adoption_failed f
            WHERE f.failed_at >= @since AND (@push::text IS NULL OR f.push_id = @push) AND (@owner::text IS NULL OR f.owner = @owner)
              AND NOT EXISTS (SELECT 1 FROM adoption_cards c WHERE c.delta_id = f.delta_id)
            GROUP BY f.push_id
            """, ("since", since), ("push", pushId), ("owner", owner)))
        await using (var reader = await failed.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                Of(reader.GetString(0)).Failed = reader.GetInt64(1);
            }
        }

        return [.. figures.Values.OrderBy(f => f.PushId, StringComparer.Ordinal)];

        PushAdoption Of(string push) => figures.TryGetValue(push, out var f) ? f : figures[push] = new PushAdoption(push, 0, 0, 0, 0, 0, 0, null, null);
    }

    /// <summary>Per push, the cards delivered since <paramref name="since"/> week by week, and their first actions in buckets.</summary>
    public async Task<IReadOnlyList<AdoptionHistory>> HistoryAsync(string? pushId, string? owner, DateTimeOffset since, TimeSpan ignoredAfter,
        DateTimeOffset now, CancellationToken ct)
    {
        var histories = new Dictionary<string, AdoptionHistory>();
        AdoptionHistory Of(string push) => histories.TryGetValue(push, out var h) ? h : histories[push] = new AdoptionHistory(push);
        (string, object?)[] parameters = [("since", since), ("push", pushId), ("owner", owner), ("window", ignoredAfter), ("now", now)];
        await using (var weeks = Command(CardsSince + """
            SELECT push_id, date_trunc('week', delivered_at, 'UTC'),
                   count(*) FILTER (WHERE first_action <= @window),
                   count(*) FILTER (WHERE (first_action IS NULL OR first_action > @window) AND delivered_at < @now - @window)
            FROM cards GROUP BY 1, 2 ORDER BY 1, 2
            """, parameters))
        await using (var reader = await weeks.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                Of(reader.GetString(0)).Weeks.Add((reader.GetFieldValue<DateTimeOffset>(1), reader.GetInt64(2), reader.GetInt64(3)));
            }
        }

        await using (var buckets = Command(CardsSince + """
            SELECT push_id, CASE WHEN first_action < interval '1 minute' THEN 0 WHEN first_action < interval '10 minutes' THEN 1
                                 WHEN first_action < interval '1 hour' THEN 2 WHEN first_action < interval '1 day' THEN 3
                                 WHEN first_action < interval '7 days' THEN 4 ELSE 5 END, count(*)
            FROM cards WHERE first_action IS NOT NULL GROUP BY 1, 2
            """, parameters))
        await using (var reader = await buckets.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                Of(reader.GetString(0)).TimeToFirstAction[reader.GetInt32(1)] = reader.GetInt64(2);
            }
        }

        return [.. histories.Values.OrderBy(h => h.PushId, StringComparer.Ordinal)];
    }

    /// <summary>
    /// The priority scores (absolute z) of a push's cards decided in the period: those acted on within
    /// the window, and those ignored. Cards without a score are left out.
    /// </summary>
    public async Task<(List<double> ActedOn, List<double> Ignored)> ScoresAsync(string pushId, DateTimeOffset since, TimeSpan ignoredAfter, DateTimeOffset now,
        CancellationToken ct)
    {
        await using var command = Command(CardsSince + """
            SELECT abs(priority_score), first_action <= @window FROM cards
            WHERE priority_score IS NOT NULL AND (first_action <= @window OR delivered_at < @now - @window)
            """, ("since", since), ("push", pushId), ("owner", null), ("window", ignoredAfter), ("now", now));
        var (acted, ignored) = (new List<double>(), new List<double>());
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            (!reader.IsDBNull(1) && reader.GetBoolean(1) ? acted : ignored).Add(reader.GetDouble(0));
        }

        return (acted, ignored);
    }

    /// <summary>The metric moves of the changes acted on and of those ignored, over the period.</summary>
    public async Task<(List<IReadOnlyList<MetricMove>> ActedOn, List<IReadOnlyList<MetricMove>> Ignored)> MovesAsync(string pushId, DateTimeOffset since,
        TimeSpan ignoredAfter, DateTimeOffset now, CancellationToken ct)
    {
        await using var command = Command(CardsSince + """
            SELECT moves::text, first_action <= @window FROM cards
            WHERE moves IS NOT NULL AND (first_action <= @window OR delivered_at < @now - @window)
            """, ("since", since), ("push", pushId), ("owner", null), ("window", ignoredAfter), ("now", now));
        var (acted, ignored) = (new List<IReadOnlyList<MetricMove>>(), new List<IReadOnlyList<MetricMove>>());
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var moves = JsonSerializer.Deserialize<List<MetricMove>>(reader.GetString(0)) ?? [];
            (!reader.IsDBNull(1) && reader.GetBoolean(1) ? acted : ignored).Add(moves);
        }

        return (acted, ignored);
    }

    public async Task<bool> ReportedAsync(string pushId, DateTimeOffset due, CancellationToken ct)
    {
        await using var command = Command("SELECT EXISTS (SELECT 1 FROM adoption_reports WHERE push_id = @push AND due_at = @due)", ("push", pushId), ("due", due));
        return (bool)(await command.ExecuteScalarAsync(ct))!;
    }

    public Task MarkReportedAsync(string pushId, DateTimeOffset due, DateTimeOffset at, CancellationToken ct) =>
        ExecuteAsync("INSERT INTO adoption_reports (push_id, due_at, published_at) VALUES (@push, @due, @at) ON CONFLICT DO NOTHING", ct,
            ("push", pushId), ("due", due), ("at", at));

    /// <summary>Records the push as flagged; false when it already was (so the flag is announced once).</summary>
    public async Task<bool> FlagAsync(string pushId, string explanation, DateTimeOffset at, CancellationToken ct)
    {
        await using var command = Command("""
            INSERT INTO adoption_noisy (push_id, flagged_at, explanation) VALUES (@push, @at, @explanation) ON CONFLICT DO NOTHING
            """, ("push", pushId), ("at", at), ("explanation", explanation));
        return await command.ExecuteNonQueryAsync(ct) == 1;
    }

    /// <summary>Forgets the flags of pushes no longer noisy, so a relapse is announced again.</summary>
    public Task UnflagAllButAsync(IReadOnlyCollection<string> noisy, CancellationToken ct) =>
        ExecuteAsync("DELETE FROM adoption_noisy WHERE NOT (push_id = ANY(@noisy))", ct, ("noisy", noisy.ToArray()));

    /// <summary>The cards of the period, each with the time to its first action (null before any) and what was done with it.</summary>
    private const string CardsSince = """
        WITH cards AS (
            SELECT c.push_id, c.delivered_at, c.priority_score, c.moves,
                   (SELECT min(a.time_to_action) FROM card_actions a WHERE a.delta_id = c.delta_id) AS first_action,
                   EXISTS (SELECT 1 FROM card_actions a WHERE a.delta_id = c.delta_id AND a.action = 'Opened') AS opened,
                   EXISTS (SELECT 1 FROM card_actions a WHERE a.delta_id = c.delta_id AND a.action = 'Reviewed') AS reviewed,
                   EXISTS (SELECT 1 FROM card_actions a WHERE a.delta_id = c.delta_id AND a.action = 'Snoozed') AS snoozed
            FROM adoption_cards c
            WHERE c.delivered_at >= @since AND (@push::text IS NULL OR c.push_id = @push) AND (@owner::text IS NULL OR c.owner = @owner)
        )

        """;

    private NpgsqlCommand Command(string sql, params (string Name, object? Value)[] parameters)
    {
        var command = state.CreateCommand(sql);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.Add(value switch
            {
                null => new NpgsqlParameter { ParameterName = name, Value = DBNull.Value },
                _ => new NpgsqlParameter(name, value),
            });
        }

        return command;
    }

    private async Task ExecuteAsync(string sql, CancellationToken ct, params (string Name, object? Value)[] parameters)
    {
        await using var command = Command(sql, parameters);
        await command.ExecuteNonQueryAsync(ct);
    }
}
