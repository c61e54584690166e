using ContextPush.Contracts;
using ContextPush.Dispatcher.Crm;
using MassTransit;

namespace ContextPush.Dispatcher.Consumers;

/// <summary>A CRM's webhook said tasks changed: its closed tasks are read now rather than at the next poll.</summary>
public sealed class CrmTasksChangedConsumer(CrmCompletionWatch watch, IEnumerable<ICrmTasks> crms) : IConsumer<CrmTasksChanged>
{
    public async Task Consume(ConsumeContext<CrmTasksChanged> context)
    {
        if (crms.Any(c => c.System == context.Message.System && c.Enabled))
        {
            await watch.PollAsync(context.Message.System, context.CancellationToken);
        }
    }
}
