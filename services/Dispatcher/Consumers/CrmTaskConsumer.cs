using ContextPush.Dispatcher.Crm;
using MassTransit;

namespace ContextPush.Dispatcher.Consumers;

/// <summary>
/// The CRM task of an approved delta, on a queue of its own: the card's consumer and this one each
/// retry, park and replay their own work, so one never waits for, or repeats, the other.
/// </summary>
public sealed class CrmTaskConsumer(CrmTaskDispatcher dispatcher) : IConsumer<CrmTaskDue>
{
    public Task Consume(ConsumeContext<CrmTaskDue> context) => dispatcher.DispatchAsync(
        context.Message.Approved ?? throw new ArgumentException("a CrmTaskDue without its approval"), context.CancellationToken);
}
