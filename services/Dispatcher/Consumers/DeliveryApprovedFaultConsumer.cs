using ContextPush.Contracts;
using ContextPush.Dispatcher.Delivery;
using MassTransit;

namespace ContextPush.Dispatcher.Consumers;

/// <summary>
/// An approval that went to the error queue (its platform was down for longer than the redelivery
/// horizon, or a fault of ours outlasted the retries) is recorded as failed and announced; the
/// message itself waits in the error queue to be replayed.
/// </summary>
public sealed class DeliveryApprovedFaultConsumer(CardDispatcher dispatcher) : IConsumer<Fault<DeliveryApproved>>
{
    public async Task Consume(ConsumeContext<Fault<DeliveryApproved>> context)
    {
        var error = string.Join("; ", context.Message.Exceptions.Select(e => e.Message));
        var reason = error.StartsWith("gave up", StringComparison.Ordinal) ? error : $"gave up after retries: {error}";
        var failed = await dispatcher.GiveUpAsync(context.Message.Message, reason, context.CancellationToken);
        DispatcherMetrics.NotSent(failed.Channel, permanent: false);
        await context.Publish(failed, context.CancellationToken);
    }
}
