using ContextPush.Contracts;
using ContextPush.Dispatcher.Delivery;
using ContextPush.ServiceDefaults.Messaging;
using MassTransit;

namespace ContextPush.Dispatcher.Consumers;

/// <summary>
/// An approval that went to the error queue (its platform was down for longer than the redelivery
/// horizon, or a fault of ours outlasted the retries) is recorded as failed and announced; the
/// message itself waits in the error queue to be replayed.
/// </summary>
// Publishes through ConfirmedPublisher, on the bus and time-boxed (its comment says why).
public sealed class DeliveryApprovedFaultConsumer(CardDispatcher dispatcher, ConfirmedPublisher publisher) : IConsumer<Fault<DeliveryApproved>>
{
    public async Task Consume(ConsumeContext<Fault<DeliveryApproved>> context)
    {
        var error = string.Join("; ", context.Message.Exceptions.Select(e => e.Message));
        var reason = error.StartsWith("gave up", StringComparison.Ordinal) ? error : $"gave up after retries: {error}";
        var failed = await dispatcher.GiveUpAsync(context.Message.Message, reason, context.CancellationToken);
        await publisher.PublishAsync(failed, context.CancellationToken);
    }
}
