using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RabbitMQ.Client.Exceptions;

namespace ContextPush.ServiceDefaults.Messaging;

/// <summary>
/// The depth of this service's own queues and their _error queues, as the gauge
/// <c>contextpush.queue.depth</c>: a growing queue says a stage is behind, a non-empty _error queue
/// says messages need a look. Read with passive declares over a connection of its own, so it works
/// on any RabbitMQ without the management plugin.
/// </summary>
public sealed class QueueDepthMonitor : BackgroundService
{
    private readonly BrokerAddress _broker;
    private readonly ILogger<QueueDepthMonitor> _logger;
    private readonly ConcurrentDictionary<string, long> _depths = new();

    public QueueDepthMonitor(QueueNames queues, BrokerAddress broker, IMeterFactory meters, ILogger<QueueDepthMonitor> logger)
    {
        Queues = queues;
        _broker = broker;
        _logger = logger;
        meters.Create(Microsoft.Extensions.Hosting.Extensions.ContextPushTelemetryName).CreateObservableGauge("contextpush.queue.depth", () => _depths.Select(d => new Measurement<long>(d.Value, new KeyValuePair<string, object?>("queue", d.Key))),
            "{message}", "Messages waiting in each of the service's queues and their _error queues.");
    }

    public QueueNames Queues { get; }

    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The depths last read; a queue that does not exist (an _error queue before its first fault) is 0.</summary>
    public IReadOnlyDictionary<string, long> Depths => _depths;

    public async Task SampleAsync(CancellationToken ct)
    {
        await using var connection = await _broker.ConnectAsync("queue-depth", ct);
        foreach (var queue in Queues.All.SelectMany(q => new[] { q, q + "_error" }))
        {
            // A passive declare of a missing queue closes the channel, so each queue gets its own.
            await using var channel = await connection.CreateChannelAsync(cancellationToken: ct);
            try
            {
                _depths[queue] = (await channel.QueueDeclarePassiveAsync(queue, ct)).MessageCount;
            }
            catch (OperationInterruptedException e) when (e.ShutdownReason?.ReplyCode == 404)
            {
                _depths[queue] = 0;
            }
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        do
        {
            try
            {
                await SampleAsync(stoppingToken);
            }
            catch (Exception e) when (e is BrokerUnreachableException or OperationInterruptedException or IOException)
            {
                _logger.LogWarning("Queue depths could not be read: {Problem}", e.Message);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
