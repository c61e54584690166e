using System.Text.Json.Nodes;
using ContextPush.Dispatcher.Preview;
using ContextPush.ServiceDefaults.Idempotency;
using Microsoft.Extensions.Options;
using Npgsql;

namespace ContextPush.Dispatcher.Delivery;

/// <summary>
/// One row per DeltaId: claimed ("sending") before the card is posted and completed ("delivered",
/// with the platform's message id) right after, so a redelivered approval never posts twice. The
/// claim carries a token and is renewed while the send runs, however long a paced queue or a slow
/// platform makes it, so it is taken over only from an attempt that died. The one window left is a
/// crash between the platform accepting the card and the completing UPDATE, a few milliseconds; the
/// redelivery then takes over the expired claim and posts again (at-least-once, never lost).
/// </summary>
public sealed class DeliveryStore(NpgsqlDataSource state, IOptions<IdempotencyOptions> idempotency, TimeProvider clock) : IClaimLedger
{
    /// <summary>Its tables, created at start (AddNpgsqlSchema).</summary>
    public const string Schema = """
        CREATE TABLE IF NOT EXISTS deliveries (
            delta_id       uuid        PRIMARY KEY,
            correlation_id uuid        NOT NULL,
            push_id        text        NOT NULL,
            account_key    text        NOT NULL,
            status         text        NOT NULL,
            channel        text,
            destination    text,
            message_id     text,
            card           jsonb,
            claimed_at     timestamptz NOT NULL,
            delivered_at   timestamptz,
            error          text,
            failed_at      timestamptz
        );
        CREATE INDEX IF NOT EXISTS deliveries_push_claimed ON deliveries (push_id, claimed_at DESC);
        CREATE INDEX IF NOT EXISTS deliveries_push_account ON deliveries (push_id, account_key);
        -- The card in Block Kit whatever the channel, for the AppHost dashboard's "recent cards".
        ALTER TABLE deliveries ADD COLUMN IF NOT EXISTS preview jsonb;
        -- Which attempt holds the claim: only it renews or releases it.
        ALTER TABLE deliveries ADD COLUMN IF NOT EXISTS claim_token uuid;
        -- A card whose platform was unavailable ('retrying'): when it is tried next.
        ALTER TABLE deliveries ADD COLUMN IF NOT EXISTS next_attempt_at timestamptz;
        -- When the attempt holding the claim began (renewals move claimed_at, not this): where to look for
        -- a card that an attempt which died may have posted.
        ALTER TABLE deliveries ADD COLUMN IF NOT EXISTS attempt_started_at timestamptz;
        -- A CRM task is a delivery of its own beside the card (its delta_id a work id derived from the
        -- DeltaId and the CRM): the delta it belongs to, and when ContextPush itself closed it, so a
        -- completion it made is not taken for the owner's.
        ALTER TABLE deliveries ADD COLUMN IF NOT EXISTS delta_of uuid;
        ALTER TABLE deliveries ADD COLUMN IF NOT EXISTS crm_closed_at timestamptz;
        CREATE INDEX IF NOT EXISTS deliveries_delta_of ON deliveries (delta_of) WHERE delta_of IS NOT NULL;
        """;

    /// <summary>The stage name on its claims, as the Redis claims of the other stages carry theirs.</summary>
    public const string Stage = "dispatcher";

    public TimeSpan Lease => idempotency.Value.Lease;

    /// <summary>
    /// Claims the delta's delivery with a lease: a second copy finds it delivered (done) or claimed by a
    /// live attempt (in flight); a claim whose attempt died is taken over once its lease has passed. When
    /// the row was left 'sending' (an attempt that died, or one cut short mid-request and released), the
    /// claim says since when that attempt was sending: it may have posted the card.
    /// </summary>
    public async Task<DeliveryClaim> TryClaimAsync(Guid deltaId, Guid correlationId, string pushId, string accountKey, CancellationToken ct,
        Guid? deltaOf = null)
    {
        var token = Guid.NewGuid();
        var now = clock.GetUtcNow();
        await using var command = state.CreateCommand("""
            WITH previous AS (SELECT status, claimed_at, attempt_started_at FROM deliveries WHERE delta_id = @delta)
            INSERT INTO deliveries (delta_id, correlation_id, push_id, account_key, status, claimed_at, claim_token, attempt_started_at, delta_of)
            VALUES (@delta, @correlation, @push, @account, 'sending', @now, @token, @now, @of)
            ON CONFLICT (delta_id) DO UPDATE SET status = 'sending', claimed_at = excluded.claimed_at, claim_token = excluded.claim_token,
                attempt_started_at = excluded.attempt_started_at
                WHERE deliveries.status <> 'delivered' AND deliveries.claimed_at < @expired
            RETURNING (SELECT coalesce(attempt_started_at, claimed_at - @lease, @now - @lease) FROM previous WHERE status = 'sending')
            """);
        command.Parameters.AddWithValue("token", token);
        command.Parameters.AddWithValue("delta", deltaId);
        command.Parameters.AddWithValue("correlation", correlationId);
        command.Parameters.AddWithValue("push", pushId);
        command.Parameters.AddWithValue("account", accountKey);
        command.Parameters.AddWithValue("now", now);
        command.Parameters.AddWithValue("expired", now - Lease);
        command.Parameters.AddWithValue("lease", Lease);
        command.Parameters.AddWithValue("of", (object?)deltaOf ?? DBNull.Value);
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            if (await reader.ReadAsync(ct))
            {
                return new DeliveryClaim(Ticket(ClaimOutcome.Claimed),
                    reader.IsDBNull(0) ? null : new AbandonedAttempt(reader.GetFieldValue<DateTimeOffset>(0), now));
            }
        }

        await using var status = state.CreateCommand("SELECT status FROM deliveries WHERE delta_id = @delta");
        status.Parameters.AddWithValue("delta", deltaId);
        return new DeliveryClaim(Ticket(await status.ExecuteScalarAsync(ct) as string == "delivered" ? ClaimOutcome.AlreadyDone : ClaimOutcome.InFlight), null);

        ClaimTicket Ticket(ClaimOutcome outcome) => new(Stage, deltaId, token.ToString("N"), outcome);
    }

    /// <summary>Records why a card could not be delivered; a later redelivery of the approval may still succeed.</summary>
    public async Task FailAsync(Guid deltaId, string channel, string? destination, string error, DateTimeOffset now, CancellationToken ct)
    {
        await using var command = state.CreateCommand("""
            WITH settled AS (DELETE FROM redeliveries WHERE delta_id = @delta)
            UPDATE deliveries SET status = 'failed', channel = @channel, destination = @destination, error = @error, failed_at = @now,
                claimed_at = '-infinity', next_attempt_at = NULL
            WHERE delta_id = @delta AND status <> 'delivered'
            """);
        command.Parameters.AddWithValue("delta", deltaId);
        command.Parameters.AddWithValue("channel", channel);
        command.Parameters.AddWithValue("destination", (object?)destination ?? DBNull.Value);
        command.Parameters.AddWithValue("error", error);
        command.Parameters.AddWithValue("now", now);
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Deliveries of a push, newest first: what was delivered where, and what failed and why.</summary>
    public async Task<IReadOnlyList<DeliveryRecord>> ListAsync(string? pushId, string? status, DateTimeOffset? since, int limit, CancellationToken ct,
        string? accountKey = null)
    {
        await using var command = state.CreateCommand("""
            SELECT coalesce(delta_of, delta_id), push_id, account_key, status, channel, destination, message_id, error, delivered_at, failed_at, next_attempt_at
            FROM deliveries
            WHERE (@push::text IS NULL OR push_id = @push) AND (@status::text IS NULL OR status = @status)
              AND (@account::text IS NULL OR account_key = @account)
              AND (@since::timestamptz IS NULL OR coalesce(delivered_at, failed_at) >= @since)
            ORDER BY coalesce(delivered_at, failed_at, claimed_at) DESC
            LIMIT @limit
            """);
        command.Parameters.AddWithValue("push", (object?)pushId ?? DBNull.Value);
        command.Parameters.AddWithValue("status", (object?)status ?? DBNull.Value);
        command.Parameters.AddWithValue("account", (object?)accountKey ?? DBNull.Value);
        command.Parameters.AddWithValue("since", (object?)since ?? DBNull.Value);
        command.Parameters.AddWithValue("limit", limit);
        var records = new List<DeliveryRecord>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            string? Text(int i) => reader.IsDBNull(i) ? null : reader.GetString(i);
            DateTimeOffset? Time(int i) => reader.IsDBNull(i) ? null : reader.GetFieldValue<DateTimeOffset>(i);
            records.Add(new DeliveryRecord(reader.GetGuid(0), reader.GetString(1), reader.GetString(2), reader.GetString(3),
                Text(4), Text(5), Text(6), Text(7), Time(8), Time(9), Time(10)));
        }

        return records;
    }

    /// <summary>The newest delivered cards with their Block Kit previews, for GET /cards.</summary>
    public async Task<IReadOnlyList<RecentCard>> RecentCardsAsync(int limit, CancellationToken ct)
    {
        await using var command = state.CreateCommand("""
            SELECT delivered_at, push_id, account_key, channel, destination, coalesce(preview, card)::text
            FROM deliveries WHERE status = 'delivered' AND delta_of IS NULL ORDER BY delivered_at DESC LIMIT @limit
            """);
        command.Parameters.AddWithValue("limit", limit);
        var cards = new List<RecentCard>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            string? Text(int i) => reader.IsDBNull(i) ? null : reader.GetString(i);
            cards.Add(new RecentCard(reader.GetFieldValue<DateTimeOffset>(0), reader.GetString(1), reader.GetString(2), Text(3), Text(4),
                Text(5) is { } preview ? JsonNode.Parse(preview) : null));
        }

        return cards;
    }

    /// <summary>The delivered card of a delta, or null when none was delivered.</summary>
    public async Task<SentCard?> FindDeliveredAsync(Guid deltaId, CancellationToken ct) => (await FindDeliveryAsync(deltaId, ct))?.Card;

    /// <summary>The delivered card of a delta and when it was delivered, or null when none was delivered.</summary>
    public async Task<(SentCard Card, DateTimeOffset At)?> FindDeliveryAsync(Guid deltaId, CancellationToken ct)
    {
        await using var command = state.CreateCommand(
            "SELECT channel, destination, message_id, card::text, delivered_at FROM deliveries WHERE delta_id = @delta AND status = 'delivered' AND delta_of IS NULL");
        command.Parameters.AddWithValue("delta", deltaId);
        await using var reader = await command.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct))
        {
            return null;
        }

        return (new SentCard(reader.GetString(0), reader.GetString(1), reader.GetString(2),
            reader.IsDBNull(3) ? null : JsonNode.Parse(reader.GetString(3))?.AsObject()), reader.GetFieldValue<DateTimeOffset>(4));
    }

    /// <summary>The newest delivered card of an account in a push: the one a resolution marks resolved.</summary>
    public async Task<(Guid DeltaId, SentCard Card)?> FindLatestCardAsync(string pushId, string accountKey, CancellationToken ct)
    {
        await using var command = state.CreateCommand("""
            SELECT delta_id, channel, destination, message_id, card::text FROM deliveries
            WHERE push_id = @push AND account_key = @account AND status = 'delivered' AND card IS NOT NULL AND delta_of IS NULL
            ORDER BY delivered_at DESC LIMIT 1
            """);
        command.Parameters.AddWithValue("push", pushId);
        command.Parameters.AddWithValue("account", accountKey);
        await using var reader = await command.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct))
        {
            return null;
        }

        return (reader.GetGuid(0), new SentCard(reader.GetString(1), reader.GetString(2), reader.GetString(3), JsonNode.Parse(reader.GetString(4))!.AsObject()));
    }

    /// <summary>Keeps the card as it now stands, so a later update starts from it.</summary>
    public async Task ReplaceCardAsync(Guid deltaId, JsonObject card, CancellationToken ct)
    {
        await using var command = state.CreateCommand("UPDATE deliveries SET card = @card::jsonb WHERE delta_id = @delta");
        command.Parameters.AddWithValue("delta", deltaId);
        command.Parameters.AddWithValue("card", card.ToJsonString());
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Extends the attempt's claim while its send runs; false when another attempt holds it now.</summary>
    public async Task<bool> RenewAsync(ClaimTicket ticket, CancellationToken ct)
    {
        await using var command = state.CreateCommand(
            "UPDATE deliveries SET claimed_at = @now WHERE delta_id = @delta AND claim_token = @token AND status = 'sending'");
        command.Parameters.AddWithValue("delta", ticket.WorkId);
        command.Parameters.AddWithValue("token", Guid.Parse(ticket.Token));
        command.Parameters.AddWithValue("now", clock.GetUtcNow());
        return await command.ExecuteNonQueryAsync(ct) == 1;
    }

    /// <summary>Ends a failed attempt's claim at once (if still its own), so the retry need not wait for the lease.</summary>
    public async Task ReleaseAsync(ClaimTicket ticket)
    {
        await using var command = state.CreateCommand(
            "UPDATE deliveries SET claimed_at = '-infinity' WHERE delta_id = @delta AND claim_token = @token AND status = 'sending'");
        command.Parameters.AddWithValue("delta", ticket.WorkId);
        command.Parameters.AddWithValue("token", Guid.Parse(ticket.Token));
        await command.ExecuteNonQueryAsync(CancellationToken.None);
    }

    /// <summary>
    /// Ends this attempt, whose platform was unavailable: the claim is released (if still its own) and
    /// the delivery shows 'retrying' with the platform's error and when the next attempt is due.
    /// </summary>
    public async Task RetryingAsync(ClaimTicket ticket, string channel, string error, DateTimeOffset nextAttemptAt, CancellationToken ct)
    {
        await using var command = state.CreateCommand("""
            UPDATE deliveries SET status = 'retrying', channel = @channel, error = @error, next_attempt_at = @next, claimed_at = '-infinity'
            WHERE delta_id = @delta AND claim_token = @token AND status = 'sending'
            """);
        command.Parameters.AddWithValue("delta", ticket.WorkId);
        command.Parameters.AddWithValue("token", Guid.Parse(ticket.Token));
        command.Parameters.AddWithValue("channel", channel);
        command.Parameters.AddWithValue("error", error);
        command.Parameters.AddWithValue("next", nextAttemptAt);
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Records the card as delivered; its redelivery schedule, if it had one, is settled with it.</summary>
    public async Task CompleteAsync(Guid deltaId, SentCard card, DateTimeOffset now, CancellationToken ct, JsonObject? preview = null)
    {
        await using var command = state.CreateCommand("""
            WITH settled AS (DELETE FROM redeliveries WHERE delta_id = @delta)
            UPDATE deliveries SET status = 'delivered', channel = @channel, destination = @destination, error = NULL, next_attempt_at = NULL,
                message_id = @message, card = @card::jsonb, delivered_at = @now, preview = @preview::jsonb
            WHERE delta_id = @delta AND status <> 'delivered'
            """);
        // Only a preview that is not the card itself is stored: /cards reads coalesce(preview, card), and
        // writing a Slack card twice doubled the JSON PostgreSQL parsed for every delivery.
        command.Parameters.AddWithValue("preview", preview is null || ReferenceEquals(preview, card.Card) ? DBNull.Value : preview.ToJsonString());
        command.Parameters.AddWithValue("delta", deltaId);
        command.Parameters.AddWithValue("channel", card.Channel);
        command.Parameters.AddWithValue("destination", card.Destination);
        command.Parameters.AddWithValue("message", card.MessageId);
        command.Parameters.AddWithValue("card", (object?)card.Card?.ToJsonString() ?? DBNull.Value);
        command.Parameters.AddWithValue("now", now);
        await command.ExecuteNonQueryAsync(ct);
    }
}
