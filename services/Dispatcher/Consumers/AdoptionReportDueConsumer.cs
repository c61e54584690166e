using ContextPush.Contracts;
using ContextPush.Dispatcher.Reports;
using MassTransit;

namespace ContextPush.Dispatcher.Consumers;

public sealed class AdoptionReportDueConsumer(ReportDispatcher reports) : IConsumer<AdoptionReportDue>
{
    public Task Consume(ConsumeContext<AdoptionReportDue> context) => reports.DispatchAsync(context.Message, context.CancellationToken);
}
