using ContextPush.Contracts;
using ContextPush.Dispatcher.Delivery;
using MassTransit;

namespace ContextPush.Dispatcher.Consumers;

/// <summary>
/// An approval that went to the error queue (its platform was down for longer than the redelivery
/// horizon, or a fault of ours outlasted the retries) is recorded as failed and announced; the
/// message itself waits in the error queue to be replayed.
/// </summary>
// Publishes through the bus, not the consume context: when the broker goes and comes back, the consume
// context's channel stays dead until this consumer has finished, so its retries could only fail and
// park a good message in the error queue; the bus reconnects on its own (docs/guarantees.md).
public sealed class DeliveryApprovedFaultConsumer(CardDispatcher dispatcher, IBus bus) : IConsumer<Fault<DeliveryApproved>>
{
    public async Task Consume(ConsumeContext<Fault<DeliveryApproved>> context)
    {
        var error = string.Join("; ", context.Message.Exceptions.Select(e => e.Message));
        var reason = error.StartsWith("gave up", StringComparison.Ordinal) ? error : $"gave up after retries: {error}";
        var failed = await dispatcher.GiveUpAsync(context.Message.Message, reason, context.CancellationToken);
        await bus.Publish(failed, context.CancellationToken);
    }
}
