using MassTransit;
using Microsoft.Extensions.Options;

namespace ContextPush.Assembler.Consumers;

/// <summary>
/// Many deltas at once: a run's deltas arrive together, and assembling them concurrently is what lets
/// their CRM and help-desk lookups share batch calls.
/// </summary>
public sealed class DeltaDetectedConsumerDefinition : ConsumerDefinition<DeltaDetectedConsumer>
{
    private readonly int concurrency;

    public DeltaDetectedConsumerDefinition(IOptions<AssemblerOptions> options)
    {
        concurrency = options.Value.ConcurrentDeltas;
        ConcurrentMessageLimit = concurrency;
    }

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<DeltaDetectedConsumer> consumerConfigurator, IRegistrationContext context)
    {
        endpointConfigurator.PrefetchCount = concurrency;
    }
}
