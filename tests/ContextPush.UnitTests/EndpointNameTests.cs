using ContextPush.Assembler.Context;
using ContextPush.Callbacks.Actions;
using ContextPush.Detector.Detection;
using ContextPush.Dispatcher.Delivery;
using ContextPush.Throttler.Throttling;
using MassTransit;
using MassTransit.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace ContextPush.UnitTests;

/// <summary>
/// Queue names are an operational contract (dashboards, alerts, error queues, the replay command):
/// every queue of every service, as the service's own composition names it, is pinned here.
/// </summary>
public class EndpointNameTests
{
    [Fact]
    public void Each_service_consumes_from_queues_of_its_own_named_after_the_message()
    {
        Assert.Equal(["assembler-delta-detected"], QueuesOf("ContextPush.Assembler", b => b.AddAssembler()));
        Assert.Equal(["throttler-card-actioned", "throttler-context-assembled", "throttler-delivered", "throttler-digest-delivered"],
            QueuesOf("ContextPush.Throttler", b => b.AddThrottling()));
        Assert.Equal(["dispatcher-adoption-report-due", "dispatcher-card-actioned", "dispatcher-crm-task", "dispatcher-crm-task-follow", "dispatcher-crm-tasks-changed",
                "dispatcher-delivery-approved", "dispatcher-delivery-approved-fault", "dispatcher-digest-approved"],
            QueuesOf("ContextPush.Dispatcher", b => b.AddDispatching()));
        Assert.Empty(QueuesOf("ContextPush.Detector", b => b.AddDetection()));
        Assert.Equal(["callbacks-crm-task-completed", "callbacks-delivered", "callbacks-delivery-failed", "callbacks-delivery-suppressed", "callbacks-digest-delivered"],
            QueuesOf("ContextPush.Callbacks", b => b.AddCallbacks()));
    }

    /// <summary>The queues the bus would declare, read from the registrations without connecting to anything.</summary>
    private static string[] QueuesOf(string applicationName, Action<IHostApplicationBuilder> compose)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { ApplicationName = applicationName });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:messaging"] = "amqp://guest:guest@127.0.0.1:1/",
            ["ConnectionStrings:cache"] = "127.0.0.1:1",
            ["ConnectionStrings:warehouse"] = "Host=127.0.0.1;Port=1",
            ["ConnectionStrings:throttlerdb"] = "Host=127.0.0.1;Port=1",
            ["ConnectionStrings:dispatcherdb"] = "Host=127.0.0.1;Port=1",
            ["ConnectionStrings:callbacksdb"] = "Host=127.0.0.1;Port=1",
        });
        compose(builder);
        using var provider = builder.Services.BuildServiceProvider();
        var formatter = provider.GetRequiredService<IEndpointNameFormatter>();
        var context = provider.GetRequiredService<IBusRegistrationContext>();
        return provider.GetServices<IConsumerRegistration>().Select(r => r.GetDefinition(context).GetEndpointName(formatter)).Order(StringComparer.Ordinal).ToArray();
    }
}
