using ContextPush.Assembler.Consumers;
using ContextPush.Dispatcher.Consumers;
using ContextPush.Throttler.Consumers;
using MassTransit;
using Microsoft.Extensions.Hosting;

namespace ContextPush.UnitTests;

/// <summary>Queue names are an operational contract (dashboards, alerts, error queues): pinned here.</summary>
public class EndpointNameTests
{
    private static string QueueOf<TConsumer>(string applicationName) where TConsumer : class, IConsumer =>
        new KebabCaseEndpointNameFormatter(MessagingExtensions.ServicePrefix(applicationName), false).Consumer<TConsumer>();

    [Fact]
    public void Each_service_consumes_from_its_own_prefixed_queue()
    {
        Assert.Equal("assembler-delta-detected", QueueOf<DeltaDetectedConsumer>("ContextPush.Assembler"));
        Assert.Equal("throttler-context-assembled", QueueOf<ContextAssembledConsumer>("ContextPush.Throttler"));
        Assert.Equal("dispatcher-delivery-approved", QueueOf<DeliveryApprovedConsumer>("ContextPush.Dispatcher"));
    }
}
