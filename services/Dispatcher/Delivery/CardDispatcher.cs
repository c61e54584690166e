using ContextPush.Contracts;
using ContextPush.Dispatcher.Email;
using ContextPush.Dispatcher.Slack;
using ContextPush.Dispatcher.Teams;
using ContextPush.ServiceDefaults.Idempotency;
using Microsoft.Extensions.Options;

namespace ContextPush.Dispatcher.Delivery;

/// <summary>Delivers an approved delta exactly once through the configured channel.</summary>
public sealed class CardDispatcher(
    DeliveryStore deliveries,
    CardUpdater updater,
    IServiceProvider services,
    IOptions<DispatcherOptions> options,
    TimeProvider clock)
{
    public async Task<DispatchOutcome> DispatchAsync(DeliveryApproved approved, CancellationToken ct)
    {
        var delta = approved.Delta;
        switch (await deliveries.TryClaimAsync(approved.DeltaId, approved.CorrelationId, delta.PushId, delta.AccountKey, clock.GetUtcNow(), ct))
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
            card = delta.Kind == DeltaKind.Left
                ? await updater.ResolveAsync(approved, ct) ?? new SentCard(name, "(no editable card)", "")
                : await channel.SendAsync(approved, ct);
        }
        catch (DeliveryRejectedException rejected)
        {
            // Permanent: recorded with the platform's words and not retried, so one bad destination blocks nothing.
            await deliveries.FailAsync(approved.DeltaId, rejected.Channel, rejected.Destination, rejected.PlatformError, clock.GetUtcNow(), ct);
            return new DispatchOutcome(null, Failed(approved, rejected.Channel, rejected.Destination, rejected.PlatformError, permanent: true, clock.GetUtcNow()));
        }
        catch
        {
            // Not handled here: the claim is ended so the retry can post at once, then the error goes on.
            await deliveries.ReleaseAsync(approved.DeltaId, CancellationToken.None);
            throw;
        }

        var now = clock.GetUtcNow();
        await deliveries.CompleteAsync(approved.DeltaId, card, now, ct);
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
        var name = approved.Delta.Settings.GetValueOrDefault("delivery:channel")?.ToLowerInvariant()
            ?? (options.Value.Slack.Enabled ? "slack" : "console");
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
