using ContextPush.Contracts;
using ContextPush.Dispatcher.Slack;
using ContextPush.ServiceDefaults.Idempotency;
using Microsoft.Extensions.Options;

namespace ContextPush.Dispatcher.Delivery;

/// <summary>Delivers an approved delta exactly once through the configured channel.</summary>
public sealed class CardDispatcher(
    DeliveryStore deliveries,
    IServiceProvider services,
    IOptions<DispatcherOptions> options,
    TimeProvider clock)
{
    /// <summary>The delivery, or null when this delta's card was already delivered.</summary>
    public async Task<Delivered?> DispatchAsync(DeliveryApproved approved, CancellationToken ct)
    {
        var delta = approved.Delta;
        switch (await deliveries.TryClaimAsync(approved.DeltaId, approved.CorrelationId, delta.PushId, delta.AccountKey, clock.GetUtcNow(), ct))
        {
            case ClaimOutcome.AlreadyDone:
                return null;
            case ClaimOutcome.InFlight:
                throw new DeltaInFlightException("dispatcher", approved.DeltaId);
        }

        ICardChannel channel = options.Value.Slack.Enabled
            ? services.GetRequiredService<SlackChannel>()
            : services.GetRequiredService<ConsoleChannel>();
        SentCard card;
        try
        {
            card = await channel.SendAsync(approved, ct);
        }
        catch
        {
            // Not handled here: the claim is ended so the retry can post at once, then the error goes on.
            await deliveries.ReleaseAsync(approved.DeltaId, CancellationToken.None);
            throw;
        }

        var now = clock.GetUtcNow();
        await deliveries.CompleteAsync(approved.DeltaId, card, now, ct);
        return new Delivered
        {
            CorrelationId = approved.CorrelationId,
            DeltaId = approved.DeltaId,
            PushId = delta.PushId,
            AccountKey = delta.AccountKey,
            Channel = card.Channel,
            Destination = card.Destination,
            MessageId = card.MessageId,
            DeliveredAt = now,
        };
    }
}
