using ContextPush.Contracts;
using ContextPush.Dispatcher.Crm;
using MassTransit;

namespace ContextPush.Dispatcher.Consumers;

/// <summary>
/// The CRM task of an approved delta, on a queue of its own: the card's consumer and this one each
/// retry, park and replay their own work, so one never waits for, or repeats, the other.
/// </summary>
public sealed class CrmTaskConsumer(CrmTaskDispatcher dispatcher) : IConsumer<DeliveryApproved>
{
    public Task Consume(ConsumeContext<DeliveryApproved> context) => dispatcher.DispatchAsync(context.Message, context.CancellationToken);
}
