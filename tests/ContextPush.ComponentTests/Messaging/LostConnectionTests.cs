using ContextPush.ServiceDefaults.Messaging;
using ContextPush.Testing.Servers;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace ContextPush.ComponentTests.Messaging;

/// <summary>
/// A service whose broker connection is lost while one of its deliveries never ends (an ack or a confirm that
/// never returns on a dead channel) consumes again on a new connection: the endpoint's stop gives up waiting.
/// </summary>
public class LostConnectionTests(ServersFixture fixture)
{
    // Without the stop's time limit the endpoint, and then the host's stop, wait for good: the limit turns that into a failure.
    [Fact(Timeout = 180_000)]
    public async Task A_delivery_that_never_ends_does_not_keep_the_endpoint_from_consuming_after_the_connection_is_lost()
    {
        var ct = TestContext.Current.CancellationToken;
        var (vhost, _) = fixture.NextIsolation("lostconn");
        var broker = await fixture.Servers.CreateVirtualHostAsync(vhost, ct);
        using var host = ProbeService.Build(broker, new Dictionary<string, string?>
        {
            ["Messaging:ConsumerStopTimeout"] = "00:00:02",
            ["Messaging:StopTimeout"] = "00:00:04",
        });
        await host.StartConsumingAsync(ct);
        var log = host.Services.GetRequiredService<ProbeService.ProbeLog>();
        var bus = host.Services.GetRequiredService<IBus>();
        using var management = new RabbitMqManagement(fixture.Servers.MessagingManagement);

        await bus.Publish(new ProbeService.Probe("stuck", Hang: true), ct);
        await log.Entered.Task.WaitAsync(TimeSpan.FromSeconds(30), ct);
        // The broker lists a connection only once its statistics come in, every few seconds.
        await Eventually.GetAsync("the service's connections, listed and closed", () => management.CloseConnectionsAsync(vhost, ct), closed => closed > 0,
            TimeSpan.FromSeconds(30));
        // The stuck delivery was never acknowledged: the broker gives it again, to the endpoint on its new connection.
        await Eventually.UntilAsync("the stuck probe, returned to its queue, consumed on a new connection",
            () => Task.FromResult(log.Consumed.Contains("stuck")), TimeSpan.FromSeconds(60));
        // Published from outside the service, as another stage's message arrives: the service's own publishing
        // after such a loss is MissingConsumerTests' matter (a bus restart once no publish is confirmed).
        await ProbeService.PublishFromOutsideAsync(broker, host.Services.GetRequiredService<QueueNames>().All.Single(), [new ProbeService.Probe("after", Hang: false)], ct);
        await Eventually.UntilAsync("a probe published afterwards, consumed", () => Task.FromResult(log.Consumed.Contains("after")), TimeSpan.FromSeconds(30));

        await host.StopAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30), ct);
    }
}
