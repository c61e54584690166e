using ContextPush.Contracts;
using ContextPush.Dispatcher.Delivery;
using MassTransit;

namespace ContextPush.Dispatcher.Consumers;

/// <summary>Updates the card after a review or snooze; repeating it is harmless (the card ends up the same).</summary>
public sealed class CardActionedConsumer(CardUpdater updater) : IConsumer<CardActioned>
{
    public Task Consume(ConsumeContext<CardActioned> context) => updater.ApplyAsync(context.Message, context.CancellationToken);
}
