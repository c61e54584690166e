using ContextPush.Contracts;
using ContextPush.Dispatcher.Email;
using ContextPush.Dispatcher.Redelivery;
using ContextPush.Dispatcher.Slack;
using ContextPush.Dispatcher.Teams;
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
    CardUpdater updater,
    IServiceProvider services,
    IOptions<DispatcherOptions> options,
    TimeProvider clock,
    ILogger<CardDispatcher> logger)
{
    public async Task<DispatchOutcome> DispatchAsync(DeliveryApproved approved, CancellationToken ct)
    {
        var delta = approved.Delta;
        var token = Guid.NewGuid();
        var claim = await deliveries.TryClaimAsync(approved.DeltaId, approved.CorrelationId, delta.PushId, delta.AccountKey, token, clock.GetUtcNow(), ct);
        switch (claim.Outcome)
        {
            case ClaimOutcome.AlreadyDone:
                return DispatchOutcome.Duplicate;
            case ClaimOutcome.InFlight:
                throw new DeltaInFlightException("dispatcher", approved.DeltaId);
        }

        var (name, channel) = ChannelFor(approved);
        SentCard card;
        try
        {
            card = await SendHeldAsync(approved.DeltaId, token, async held => delta.Kind == DeltaKind.Left
                ? await updater.ResolveAsync(approved, held) ?? new SentCard(name, "(no editable card)", "")
                : await AlreadyPostedAsync(approved, channel, claim.TookOver, held) ?? await channel.SendAsync(approved, held), ct);
        }
        catch (DeliveryRejectedException rejected)
        {
            // Permanent: recorded with the platform's words and not retried, so one bad destination blocks nothing.
            await deliveries.FailAsync(approved.DeltaId, rejected.Channel, rejected.Destination, rejected.PlatformError, clock.GetUtcNow(), ct);
            return new DispatchOutcome(null, Failed(approved, rejected.Channel, rejected.Destination, rejected.PlatformError, permanent: true, clock.GetUtcNow()));
        }
        catch (Exception e) when (TransientDelivery.Is(e, ct))
        {
            return new DispatchOutcome(null, null, await PostponeAsync(approved.DeltaId, token, name, approved, e, ct));
        }
        catch
        {
            // Not handled here: the claim is ended so the retry can post at once, then the error goes on.
            await deliveries.ReleaseAsync(approved.DeltaId, token, CancellationToken.None);
            throw;
        }

        var now = clock.GetUtcNow();
        await deliveries.CompleteAsync(approved.DeltaId, card, now, ct, preview: card.Card ?? SlackCard.Build(approved, card.Destination, now));
        return new DispatchOutcome(new Delivered
        {
            CorrelationId = approved.CorrelationId,
            DeltaId = approved.DeltaId,
            PushId = delta.PushId,
            AccountKey = delta.AccountKey,
            Channel = card.Channel,
            Destination = card.Destination,
            MessageId = card.MessageId,
            DeliveredAt = now,
        }, null);
    }

    /// <summary>Sends a digest once (its DigestId is claimed like a DeltaId); digests go to Slack or, locally, the console.</summary>
    public async Task<DispatchOutcome> DispatchDigestAsync(DigestApproved digest, CancellationToken ct)
    {
        var ownerKey = "digest:" + (digest.Owner?.Email ?? digest.Owner?.SlackUserId ?? "team");
        var token = Guid.NewGuid();
        switch ((await deliveries.TryClaimAsync(digest.DigestId, digest.CorrelationId, digest.PushId, ownerKey, token, clock.GetUtcNow(), ct)).Outcome)
        {
            case ClaimOutcome.AlreadyDone:
                return DispatchOutcome.Duplicate;
            case ClaimOutcome.InFlight:
                throw new DeltaInFlightException("dispatcher", digest.DigestId);
        }

        var name = ChannelFor(new DeliveryApproved
        {
            CorrelationId = digest.CorrelationId, DeltaId = digest.DigestId, Delta = digest.Items[0].Delta, Context = digest.Items[0].Context, ApprovedAt = digest.DueAt,
        }).Name;
        SentCard card;
        try
        {
            card = await SendHeldAsync(digest.DigestId, token, async held => name switch
            {
                "slack" => await services.GetRequiredService<SlackChannel>().SendDigestAsync(digest, held),
                "console" => await services.GetRequiredService<ConsoleChannel>().SendDigestAsync(digest),
                var other => throw new DeliveryRejectedException(other, null, $"push {digest.PushId}: digests are sent to Slack or the console, not {other}"),
            }, ct);
        }
        catch (DeliveryRejectedException rejected)
        {
            await deliveries.FailAsync(digest.DigestId, rejected.Channel, rejected.Destination, rejected.PlatformError, clock.GetUtcNow(), ct);
            throw new InvalidOperationException(rejected.Message, rejected);
        }
        catch (Exception e) when (TransientDelivery.Is(e, ct))
        {
            return new DispatchOutcome(null, null, await PostponeAsync(digest.DigestId, token, name, digest, e, ct));
        }
        catch
        {
            await deliveries.ReleaseAsync(digest.DigestId, token, CancellationToken.None);
            throw;
        }

        var now = clock.GetUtcNow();
        await deliveries.CompleteAsync(digest.DigestId, card, now, ct);
        return new DispatchOutcome(new Delivered
        {
            CorrelationId = digest.CorrelationId, DeltaId = digest.DigestId, PushId = digest.PushId, AccountKey = ownerKey,
            Channel = card.Channel, Destination = card.Destination, MessageId = card.MessageId, DeliveredAt = now,
        }, null);
    }

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
        DispatcherMetrics.Reconciled(found.Channel);
        return found;
    }

    /// <summary>Runs the send while this attempt's claim is kept; it stops if the claim is lost.</summary>
    private async Task<SentCard> SendHeldAsync(Guid deltaId, Guid token, Func<CancellationToken, Task<SentCard>> send, CancellationToken ct)
    {
        await using var heartbeat = Heartbeat(deltaId, token);
        using var held = CancellationTokenSource.CreateLinkedTokenSource(ct, heartbeat.Lost);
        return await send(held.Token);
    }

    /// <summary>
    /// Schedules the next attempt of a card whose platform was unavailable and lets its claim go; past
    /// the horizon, records it as failed and parks its message in the error queue.
    /// </summary>
    private async Task<RedeliveryPlan> PostponeAsync<T>(Guid deltaId, Guid token, string channel, T message, Exception failure, CancellationToken ct)
    {
        var error = TransientDelivery.Describe(failure);
        var now = clock.GetUtcNow();
        var plan = await redeliveries.ScheduleAsync(deltaId, message, error, now, ct);
        if (plan.DueAt is { } due)
        {
            await deliveries.RetryingAsync(deltaId, token, channel, error, due, ct);
            logger.LogWarning("The card of {DeltaId} could not be delivered by {Channel} (attempt {Attempts}): {Error}; next attempt at {DueAt:O}",
                deltaId, channel, plan.Attempts, error, due);
            return plan;
        }

        var horizon = options.Value.Redelivery.Horizon;
        var gaveUp = new DeliveryGaveUpException(deltaId, horizon, plan.Attempts, error);
        await deliveries.FailAsync(deltaId, channel, null, gaveUp.Message, now, ct);
        throw gaveUp;
    }

    /// <summary>Keeps this attempt's claim while the platform is slow, the pacer makes it wait, or a Retry-After runs.</summary>
    private ClaimHeartbeat Heartbeat(Guid deltaId, Guid token) =>
        ClaimHeartbeat.Start(deliveries.Lease, ct => deliveries.RenewAsync(deltaId, token, clock.GetUtcNow(), ct), logger, $"the delivery of {deltaId}");

    /// <summary>Gives up on an approval whose retries were exhausted (its message went to the error queue).</summary>
    public async Task<DeliveryFailed> GiveUpAsync(DeliveryApproved approved, string error, CancellationToken ct)
    {
        var channel = ChannelFor(approved).Name;
        await deliveries.FailAsync(approved.DeltaId, channel, null, error, clock.GetUtcNow(), ct);
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
    };
}
