using ContextPush.Contracts;
using ContextPush.Dispatcher.Delivery;
using MassTransit;

namespace ContextPush.Dispatcher.Consumers;

/// <summary>
/// An approval whose retries ran out (a platform down for longer than the retry window) is recorded
/// as failed and announced; the message itself waits in the error queue to be moved back.
/// </summary>
public sealed class DeliveryApprovedFaultConsumer(CardDispatcher dispatcher) : IConsumer<Fault<DeliveryApproved>>
{
    public async Task Consume(ConsumeContext<Fault<DeliveryApproved>> context)
    {
        var error = string.Join("; ", context.Message.Exceptions.Select(e => e.Message));
        var failed = await dispatcher.GiveUpAsync(context.Message.Message, $"gave up after retries: {error}", context.CancellationToken);
        DispatcherMetrics.NotSent(failed.Channel, permanent: false);
        await context.Publish(failed, context.CancellationToken);
    }
}
