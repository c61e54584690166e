using System.Diagnostics.Metrics;
using ContextPush.ServiceDefaults.Messaging;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using RabbitMQ.Client;

namespace ContextPush.ComponentTests;

/// <summary>The queue-depth gauge every service reports for its own queues and their _error queues.</summary>
public class QueueDepthTests(ServersFixture fixture)
{
    [Fact]
    public async Task Waiting_messages_are_reported_per_queue_and_a_missing_error_queue_counts_as_empty()
    {
        var ct = TestContext.Current.CancellationToken;
        var (prefix, _) = fixture.NextIsolation("depth");
        var broker = new Uri(await fixture.Servers.CreateVirtualHostAsync(prefix, ct));
        await using (var connection = await new ConnectionFactory { Uri = broker }.CreateConnectionAsync(ct))
        await using (var channel = await connection.CreateChannelAsync(cancellationToken: ct))
        {
            await channel.QueueDeclareAsync("throttler-context-assembled", durable: true, exclusive: false, autoDelete: false, cancellationToken: ct);
            for (var i = 0; i < 3; i++)
            {
                await channel.BasicPublishAsync("", "throttler-context-assembled", new byte[] { 1 }, ct);
            }
        }

        var queues = new QueueNames();
        queues.Add("throttler-context-assembled");
        await using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var monitor = new QueueDepthMonitor(queues, BrokerAddress.Parse(broker.ToString()), services.GetRequiredService<IMeterFactory>(),
            NullLogger<QueueDepthMonitor>.Instance);
        var reported = new Dictionary<string, long>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Name == "contextpush.queue.depth")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) => reported[(string)tags.ToArray().Single(t => t.Key == "queue").Value!] = value);
        listener.Start();

        await monitor.SampleAsync(ct);
        listener.RecordObservableInstruments();

        Assert.Equal(3, reported["throttler-context-assembled"]);
        Assert.Equal(0, reported["throttler-context-assembled_error"]);
    }
}
