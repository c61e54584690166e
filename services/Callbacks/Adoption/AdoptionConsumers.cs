using System.Diagnostics;
using ContextPush.Contracts;
using ContextPush.ServiceDefaults.Telemetry;
using MassTransit;

namespace ContextPush.Callbacks.Adoption;

/// <summary>
/// Cards out there, recorded a batch at a time in one statement: one Delivered per delta made this
/// the costliest thing Callbacks did (benchmark: 0.42 ms of CPU per delta). A resolution's update of
/// an earlier card is not a new card.
/// </summary>
public sealed class DeliveredConsumer(AdoptionStore adoption) : IConsumer<Batch<Delivered>>
{
    private static readonly ActivitySource Source = new(Microsoft.Extensions.Hosting.Extensions.ContextPushTelemetryName);

    public async Task Consume(ConsumeContext<Batch<Delivered>> context)
    {
        var cards = context.Message.Where(m => m.Message.Kind != DeltaKind.Left).ToList();
        // The batch's own span belongs to one trace; each delta's trace gets a span of its own, tagged as every
        // stage's are, so on-call still follows a delta into Callbacks.
        var spans = cards.Select(m => Source.StartActivity("adoption card", ActivityKind.Internal,
            ActivityContext.TryParse(m.Headers.Get<string>(MassTransit.Logging.DiagnosticHeaders.ActivityId), null, out var parent) ? parent : default,
            DeltaTagNames.Of(m.Message.PushId, m.Message.AccountKey, m.Message.DeltaId))).ToList();
        try
        {
            await adoption.DeliveredAsync([.. cards.Select(m => m.Message)], context.CancellationToken);
        }
        catch (Exception e)
        {
            spans.ForEach(s => s?.SetStatus(ActivityStatusCode.Error, e.Message));
            throw;
        }
        finally
        {
            spans.ForEach(s => s?.Dispose());
        }
    }
}

/// <summary>Each account of a digest is a card out there: its "Open" button is recorded per delta.</summary>
public sealed class DigestDeliveredConsumer(AdoptionStore adoption) : IConsumer<DigestDelivered>
{
    public async Task Consume(ConsumeContext<DigestDelivered> context)
    {
        var digest = context.Message;
        foreach (var delta in digest.Deltas)
        {
            await adoption.DeliveredAsync(delta.DeltaId, digest.PushId, delta.AccountKey, digest.Owner, digest.Channel, digest.DeliveredAt, context.CancellationToken);
        }
    }
}

public sealed class DeliverySuppressedConsumer(AdoptionStore adoption) : IConsumer<DeliverySuppressed>
{
    public Task Consume(ConsumeContext<DeliverySuppressed> context) => adoption.SuppressedAsync(context.Message.DeltaId, context.Message.PushId,
        context.Message.Owner, context.Message.Reason, context.Message.DecidedAt, context.CancellationToken);
}

public sealed class DeliveryFailedConsumer(AdoptionStore adoption) : IConsumer<DeliveryFailed>
{
    public Task Consume(ConsumeContext<DeliveryFailed> context) => adoption.FailedAsync(context.Message.DeltaId, context.Message.PushId,
        context.Message.Owner, context.Message.Channel, context.Message.Permanent, context.Message.FailedAt, context.CancellationToken);
}
