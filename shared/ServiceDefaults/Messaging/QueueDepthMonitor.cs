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
/// on any RabbitMQ without the management plugin. The same declares give each work queue's consumer count, which
/// the <see cref="MissingConsumerWatch"/> reads with this process's own <see cref="ReceiveActivity"/>.
/// </summary>
public sealed class QueueDepthMonitor : BackgroundService
{
    private readonly BrokerAddress _broker;
    private readonly ILogger<QueueDepthMonitor> _logger;
    private readonly ConcurrentDictionary<string, long> _depths = new();
    private readonly ConcurrentDictionary<string, long> _consumers = new();
    private readonly MissingConsumerWatch? _watch;
    private readonly ReceiveActivity? _activity;

    public QueueDepthMonitor(QueueNames queues, BrokerAddress broker, IMeterFactory meters, ILogger<QueueDepthMonitor> logger,
        MissingConsumerWatch? watch = null, ReceiveActivity? activity = null)
    {
        Queues = queues;
        _broker = broker;
        _logger = logger;
        _watch = watch;
        _activity = activity;
        meters.Create(Microsoft.Extensions.Hosting.Extensions.ContextPushTelemetryName).CreateObservableGauge("contextpush.queue.depth", () => _depths.Select(d => new Measurement<long>(d.Value, new KeyValuePair<string, object?>("queue", d.Key))),
            "{message}", "Messages waiting in each of the service's queues and their _error queues.");
    }

    public QueueNames Queues { get; }

    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The depths last read; a queue that does not exist (an _error queue before its first fault) is 0.</summary>
    public IReadOnlyDictionary<string, long> Depths => _depths;

    /// <summary>The consumers of each work queue last read, this service's and its replicas'; a missing queue has none.</summary>
    public IReadOnlyDictionary<string, long> Consumers => _consumers;

    public async Task SampleAsync(CancellationToken ct)
    {
        await using var connection = await _broker.ConnectAsync("queue-depth", ct);
        foreach (var (queue, work) in Queues.All.SelectMany(q => new[] { (q, true), (q + "_error", false) }))
        {
            // A passive declare of a missing queue closes the channel, so each queue gets its own.
            await using var channel = await connection.CreateChannelAsync(cancellationToken: ct);
            var (depth, consumers) = (0L, 0L);
            try
            {
                var declared = await channel.QueueDeclarePassiveAsync(queue, ct);
                (depth, consumers) = (declared.MessageCount, declared.ConsumerCount);
            }
            catch (OperationInterruptedException e) when (e.ShutdownReason?.ReplyCode == 404)
            {
                // Not declared yet: empty, and nobody consumes it.
            }

            _depths[queue] = depth;
            if (work)
            {
                _consumers[queue] = consumers;
            }
        }
    }

    /// <summary>How long one sample may take before it is given up and the next one tried.</summary>
    public TimeSpan SampleTimeout { get; init; } = TimeSpan.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        try
        {
            do
            {
                if (await TrySampleAsync(stoppingToken) && _watch is not null)
                {
                    await WatchAsync(_watch, stoppingToken);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The service is stopping, possibly in the middle of a restart of its bus.
        }
    }

    private async Task<bool> TrySampleAsync(CancellationToken stoppingToken)
    {
        try
        {
            // Bounded twice: a broker node that dies mid-sample can leave a RabbitMQ.Client call waiting for an
            // answer that never comes, and the watch must not go quiet with it.
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            limit.CancelAfter(SampleTimeout);
            await SampleAsync(limit.Token).WaitAsync(SampleTimeout, stoppingToken);
            return true;
        }
        catch (Exception e) when (!stoppingToken.IsCancellationRequested)
        {
            _logger.LogWarning("Queue depths could not be read: {Problem}", e.Message);
            return false;
        }
    }

    private async Task WatchAsync(MissingConsumerWatch watch, CancellationToken stoppingToken)
    {
        try
        {
            var samples = _consumers.ToDictionary(c => c.Key, c => new QueueSample(c.Value, _depths.GetValueOrDefault(c.Key),
                _activity?[c.Key] ?? default), StringComparer.Ordinal);
            await watch.CheckAsync(samples, TimeProvider.System.GetUtcNow(), stoppingToken);
        }
        catch (Exception e) when (!stoppingToken.IsCancellationRequested)
        {
            _logger.LogError(e, "The bus could not be restarted; the next sample tries again");
        }
    }
}
