using ContextPush.ServiceDefaults.Messaging;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using RabbitMQ.Client;

namespace ContextPush.ComponentTests.Messaging;

/// <summary>
/// A service whose work queue has had no consumer on the broker for longer than the grace restarts its bus, and
/// consumes afterwards. The deaf endpoint this answers (a channel whose shutdown RabbitMQ.Client never reported)
/// comes from a race inside the client that a test cannot call up at will, so here the queue without a consumer
/// is one the service lists but nobody consumes; the restart and what follows it are the real ones.
/// </summary>
public class MissingConsumerTests(ServersFixture fixture)
{
    [Fact(Timeout = 120_000)]
    public async Task A_work_queue_without_a_consumer_past_the_grace_restarts_the_bus_which_then_consumes()
    {
        var ct = TestContext.Current.CancellationToken;
        var (vhost, _) = fixture.NextIsolation("deaf");
        var broker = await fixture.Servers.CreateVirtualHostAsync(vhost, ct);
        await using (var connection = await new ConnectionFactory { Uri = new Uri(broker) }.CreateConnectionAsync(ct))
        await using (var channel = await connection.CreateChannelAsync(cancellationToken: ct))
        {
            await channel.QueueDeclareAsync("probe-deaf", durable: true, exclusive: false, autoDelete: false, cancellationToken: ct);
        }

        var starts = new BusStarts();
        using var host = ProbeService.Build(broker, new Dictionary<string, string?>
        {
            ["Messaging:MissingConsumerGrace"] = "00:00:03",
            ["Messaging:QueueSampleInterval"] = "00:00:01",
            ["Messaging:ConsumerStopTimeout"] = "00:00:02",
            ["Messaging:StopTimeout"] = "00:00:04",
        }, services => services.AddBusObserver(_ => starts));
        host.Services.GetRequiredService<QueueNames>().Add("probe-deaf");
        await host.StartConsumingAsync(ct);

        await Eventually.UntilAsync("the bus restarted for probe-deaf", () => Task.FromResult(starts.Count >= 2), TimeSpan.FromSeconds(60));
        Assert.Equal(1, host.Services.GetRequiredService<MissingConsumerWatch>().Restarts);
        await host.Services.GetRequiredService<IBus>().Publish(new ProbeService.Probe("after the restart", Hang: false), ct);
        var log = host.Services.GetRequiredService<ProbeService.ProbeLog>();
        await Eventually.UntilAsync("a probe published after the restart, consumed", () => Task.FromResult(log.Consumed.Contains("after the restart")),
            TimeSpan.FromSeconds(30));
        var monitor = host.Services.GetRequiredService<QueueDepthMonitor>();
        await Eventually.UntilAsync("the service's own queue with a consumer again on the broker", () => Task.FromResult(
            monitor.Consumers.Any(c => c.Key != "probe-deaf" && c.Value > 0)), TimeSpan.FromSeconds(30));

        await host.StopAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30), ct);
    }

    private sealed class BusStarts : IBusObserver
    {
        private int _count;

        public int Count => Volatile.Read(ref _count);

        public void PostCreate(IBus bus)
        {
        }

        public void CreateFaulted(Exception exception)
        {
        }

        public Task PreStart(IBus bus) => Task.CompletedTask;

        public Task PostStart(IBus bus, Task<BusReady> busReady)
        {
            Interlocked.Increment(ref _count);
            return Task.CompletedTask;
        }

        public Task StartFaulted(IBus bus, Exception exception) => Task.CompletedTask;

        public Task PreStop(IBus bus) => Task.CompletedTask;

        public Task PostStop(IBus bus) => Task.CompletedTask;

        public Task StopFaulted(IBus bus, Exception exception) => Task.CompletedTask;
    }
}
