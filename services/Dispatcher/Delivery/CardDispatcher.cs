using ContextPush.Contracts;
using ContextPush.Dispatcher.Email;
using ContextPush.Dispatcher.Redelivery;
using ContextPush.Dispatcher.Slack;
using ContextPush.Dispatcher.Teams;
using ContextPush.Dispatcher.Telemetry;
using ContextPush.PushFiles;
using ContextPush.ServiceDefaults.Idempotency;
using Microsoft.Extensions.Options;

namespace ContextPush.Dispatcher.Delivery;

/// <summary>
/// Delivers an approved delta exactly once through the configured channel. A platform that is
/// unavailable (after the HTTP client's own short retries) postpones the card to a later attempt
/// instead of failing it; only a refusal, or an outage longer than the redelivery horizon, ends it.
/// </summary>
public sealed class CardDispatcher(
    DeliveryStore deliveries,
    RedeliveryStore redeliveries,
    Reports.PushDestinations destinations,
    CardUpdater updater,
    IServiceProvider services,
    IOptions<DispatcherOptions> options,
    TimeProvider clock,
    DispatcherMetrics metrics,
    ILogger<CardDispatcher> logger)
{
    public async Task<DispatchOutcome> DispatchAsync(DeliveryApproved approved, CancellationToken ct)
    {
        var delta = approved.Delta;
        var claim = await deliveries.TryClaimAsync(approved.DeltaId, approved.CorrelationId, delta.PushId, delta.AccountKey, ct);
        var (name, channel) = ChannelFor(approved);
        Delivered? delivered = null;
        try
        {
            var ran = await deliveries.RunAsync(claim.Ticket, async held => delta.Kind == DeltaKind.Left
                    ? await updater.ResolveAsync(approved, held) ?? new SentCard(name, "(no editable card)", "")
                    : await AlreadyPostedAsync(approved, channel, claim.TookOver, held) ?? await channel.SendAsync(approved, held),
                async card =>
                {
                    var now = clock.GetUtcNow();
                    await deliveries.CompleteAsync(approved.DeltaId, card, now, ct, preview: card.Card ?? SlackCard.Build(approved, card.Destination, now));
                    await destinations.RememberAsync(delta.PushId, PushSettingsReader.Of(delta).Delivery, now, ct);
                    delivered = Announce(approved, card, now);
                }, logger, ct, settledByCaller: e => e is DeliveryRejectedException || TransientDelivery.Is(e, ct));
            if (ran)
            {
                return new DispatchOutcome(delivered);
            }

            return await deliveries.FindDeliveryAsync(approved.DeltaId, ct) is { } done
                ? DispatchOutcome.Repeat(Announcement(approved, done.Card, done.At))
                : DispatchOutcome.Duplicate;
        }
        catch (DeliveryRejectedException rejected)
        {
            // Permanent: recorded with the platform's words and not retried, so one bad destination blocks nothing.
            await deliveries.FailAsync(approved.DeltaId, rejected.Channel, rejected.Destination, rejected.PlatformError, clock.GetUtcNow(), ct);
            var failed = Failed(approved, rejected.Channel, rejected.Destination, rejected.PlatformError, permanent: true, clock.GetUtcNow());
            metrics.NotSent(failed.Channel, failed.Permanent);
            logger.LogWarning("Delta {DeltaId} of push {PushId} not delivered: {Channel} said {PlatformError}",
                failed.DeltaId, failed.PushId, failed.Channel, failed.Error);
            return new DispatchOutcome(failed);
        }
        catch (Exception e) when (TransientDelivery.Is(e, ct))
        {
            await PostponeAsync(claim.Ticket, name, approved, e, ct);
            return DispatchOutcome.Postponed;
        }
    }

    /// <summary>Sends a digest once (its DigestId is claimed like a DeltaId); digests go to Slack or, locally, the console.</summary>
    public async Task<DispatchOutcome> DispatchDigestAsync(DigestApproved digest, CancellationToken ct)
    {
        // The claim's account key is the digest's owner: the deliveries table lists it as one card.
        var ownerKey = "digest:" + (digest.Owner?.Email ?? digest.Owner?.SlackUserId ?? "team");
        var claim = await deliveries.TryClaimAsync(digest.DigestId, digest.CorrelationId, digest.PushId, ownerKey, ct);
        var name = ChannelFor(new DeliveryApproved
        {
            CorrelationId = digest.CorrelationId, DeltaId = digest.DigestId, Delta = digest.Items[0].Delta, Context = digest.Items[0].Context, ApprovedAt = digest.DueAt,
        }).Name;
        DigestDelivered? delivered = null;
        try
        {
            var ran = await deliveries.RunAsync(claim.Ticket, async held => name switch
                {
                    "slack" => await services.GetRequiredService<SlackChannel>().SendDigestAsync(digest, held),
                    "console" => await services.GetRequiredService<ConsoleChannel>().SendDigestAsync(digest),
                    var other => throw new DeliveryRejectedException(other, null, $"push {digest.PushId}: digests are sent to Slack or the console, not {other}"),
                },
                async card =>
                {
                    var now = clock.GetUtcNow();
                    await deliveries.CompleteAsync(digest.DigestId, card, now, ct);
                    delivered = new DigestDelivered
                    {
                        CorrelationId = digest.CorrelationId, DigestId = digest.DigestId, PushId = digest.PushId,
                        Deltas = digest.Items.Select(i => new DigestedDelta(i.Delta.DeltaId, i.Delta.AccountKey)).ToList(),
                        Channel = card.Channel, Destination = card.Destination, MessageId = card.MessageId, DeliveredAt = now,
                        Owner = digest.Owner?.Identity(),
                    };
                }, logger, ct, settledByCaller: e => e is DeliveryRejectedException || TransientDelivery.Is(e, ct));
            return ran ? new DispatchOutcome(delivered) : DispatchOutcome.Duplicate;
        }
        catch (DeliveryRejectedException rejected)
        {
            await deliveries.FailAsync(digest.DigestId, rejected.Channel, rejected.Destination, rejected.PlatformError, clock.GetUtcNow(), ct);
            metrics.NotSent(rejected.Channel, permanent: true);
            throw new InvalidOperationException(rejected.Message, rejected);
        }
        catch (Exception e) when (TransientDelivery.Is(e, ct))
        {
            await PostponeAsync(claim.Ticket, name, digest, e, ct);
            return DispatchOutcome.Postponed;
        }
    }

    private Delivered Announce(DeliveryApproved approved, SentCard card, DateTimeOffset now)
    {
        metrics.Sent(card.Channel, now - approved.Delta.DetectedAt);
        return Announcement(approved, card, now);
    }

    private static Delivered Announcement(DeliveryApproved approved, SentCard card, DateTimeOffset now) =>
        new()
        {
            CorrelationId = approved.CorrelationId,
            DeltaId = approved.DeltaId,
            PushId = approved.Delta.PushId,
            AccountKey = approved.Delta.AccountKey,
            Channel = card.Channel,
            Destination = card.Destination,
            MessageId = card.MessageId,
            DeliveredAt = now,
            Owner = approved.Context.Owner?.Identity(),
            Kind = approved.Delta.Kind,
            PriorityScore = approved.PriorityScore,
            Moves = approved.Delta.Kind == DeltaKind.Changed ? MetricMove.Of(approved.Delta) : null,
        };

    /// <summary>
    /// The card an attempt that died while sending had already posted, when the platform can tell (Slack,
    /// by the DeltaId in its messages' metadata); the others cannot be asked and are sent again.
    /// </summary>
    private async Task<SentCard?> AlreadyPostedAsync(DeliveryApproved approved, ICardChannel channel, AbandonedAttempt? tookOver, CancellationToken ct)
    {
        if (tookOver is null || channel is not SlackChannel slack || await slack.FindPostedAsync(approved, tookOver, ct) is not { } found)
        {
            return null;
        }

        logger.LogInformation("The card of {DeltaId} was already in Slack ({Conversation} {Ts}), posted by an attempt that died before recording it; " +
            "recorded now, not posted again", approved.DeltaId, found.Destination, found.MessageId);
        metrics.Reconciled(found.Channel);
        return found;
    }

    /// <summary>
    /// Schedules the next attempt of a card whose platform was unavailable and lets its claim go; past
    /// the horizon, records it as failed and parks its message in the error queue.
    /// </summary>
    public async Task PostponeAsync<T>(ClaimTicket ticket, string channel, T message, Exception failure, CancellationToken ct)
    {
        var deltaId = ticket.WorkId;
        var error = TransientDelivery.Describe(failure);
        var now = clock.GetUtcNow();
        var plan = await redeliveries.ScheduleAsync(deltaId, message, error, now, ct);
        if (plan.DueAt is { } due)
        {
            await deliveries.RetryingAsync(ticket, channel, error, due, ct);
            metrics.Postponed(error);
            logger.LogWarning("The card of {DeltaId} could not be delivered by {Channel} (attempt {Attempts}): {Error}; next attempt at {DueAt:O}",
                deltaId, channel, plan.Attempts, error, due);
            return;
        }

        var horizon = options.Value.Redelivery.Horizon;
        var gaveUp = new DeliveryGaveUpException(deltaId, horizon, plan.Attempts, error);
        await deliveries.FailAsync(deltaId, channel, null, gaveUp.Message, now, ct);
        throw gaveUp;
    }

    /// <summary>Gives up on an approval whose retries were exhausted (its message went to the error queue).</summary>
    public async Task<DeliveryFailed> GiveUpAsync(DeliveryApproved approved, string error, CancellationToken ct)
    {
        var channel = ChannelFor(approved).Name;
        await deliveries.FailAsync(approved.DeltaId, channel, null, error, clock.GetUtcNow(), ct);
        metrics.NotSent(channel, permanent: false);
        return Failed(approved, channel, null, error, permanent: false, clock.GetUtcNow());
    }

    /// <summary>
    /// The push's delivery.channel (slack, teams, email, console); without one, Slack when a bot token
    /// is configured, else the console, the local default.
    /// </summary>
    private (string Name, ICardChannel Channel) ChannelFor(DeliveryApproved approved)
    {
        var name = PushSettingsReader.Of(approved.Delta).Delivery.Channel ?? (options.Value.Slack.Enabled ? "slack" : "console");
        return name switch
        {
            "slack" => (name, services.GetRequiredService<SlackChannel>()),
            "teams" => (name, services.GetRequiredService<TeamsChannel>()),
            "email" => (name, services.GetRequiredService<EmailChannel>()),
            "console" => (name, services.GetRequiredService<ConsoleChannel>()),
            _ => (name, new RefusingChannel(name, $"push {approved.Delta.PushId}: delivery.channel '{name}' is not one of slack, teams, email, console")),
        };
    }

    private sealed class RefusingChannel(string name, string reason) : ICardChannel
    {
        public Task<SentCard> SendAsync(DeliveryApproved approved, CancellationToken ct) => throw new DeliveryRejectedException(name, null, reason);
    }

    private static DeliveryFailed Failed(DeliveryApproved approved, string channel, string? destination, string error, bool permanent, DateTimeOffset now) => new()
    {
        CorrelationId = approved.CorrelationId,
        DeltaId = approved.DeltaId,
        PushId = approved.Delta.PushId,
        AccountKey = approved.Delta.AccountKey,
        Channel = channel,
        Destination = destination,
        Error = error,
        Permanent = permanent,
        FailedAt = now,
        Owner = approved.Context.Owner?.Identity(),
    };
}
