using MassTransit;

namespace ContextPush.ServiceDefaults.Messaging;

/// <summary>
/// Publishes through the bus and waits for the broker's confirm, but not for ever. After a broker
/// restart RabbitMQ.Client 7 can leave a publish waiting for a confirm that never comes
/// (rabbitmq-dotnet-client#1930, seen with MassTransit 8.5): the consumer then never ends, its DeltaId
/// claim is renewed for good, every copy of the delta waits for it and is parked, and a receive
/// endpoint waiting for that consumer never restarts. Past <see cref="Within"/> the publish counts as
/// failed (<see cref="PublishNotConfirmedException"/>), the claim is released and the message waits and
/// is tried again like any other outage; should the lost publish arrive after all, the next stage's claim
/// absorbs the copy.
/// </summary>
// Publishes through the bus, not a consume context: when the broker goes and comes back, a consume
// context's channel stays dead until its consumer has finished, so its retries could only fail and
// park a good message in the error queue; the bus reconnects on its own (docs/guarantees.md).
public sealed class ConfirmedPublisher(IBus bus, TimeSpan within, PublishConfirmations confirmations)
{
    public TimeSpan Within => within;

    public Task PublishAsync<T>(T message, CancellationToken ct) where T : class =>
        PublishAsync(message, typeof(T), ct);

    public async Task PublishAsync(object message, Type type, CancellationToken ct)
    {
        try
        {
            await bus.Publish(message, type, ct).WaitAsync(within, ct);
            confirmations.Confirmed();
        }
        catch (TimeoutException)
        {
            confirmations.GivenUp();
            throw new PublishNotConfirmedException(type.Name, within);
        }
    }
}
