using MassTransit;
using Microsoft.Extensions.Logging;

namespace ContextPush.ServiceDefaults.Messaging;

/// <summary>
/// Restarts the bus when one of this service's work queues has had no consumer on the broker for longer than
/// the grace. When a connection is lost, RabbitMQ.Client 7.2 tells its channels one after another, and one
/// channel's turn can wait for good: for a confirm semaphore that a publish took and could not release, its
/// channel disposed by MassTransit meanwhile. The channels after it are never told, and MassTransit's
/// endpoints on them stay Ready and healthy while waiting for deliveries that cannot come. On a classic queue
/// the broker then shows no consumer, which is where this sees it (a quorum queue keeps listing a lost node's
/// consumers for a while: docs/guarantees.md). Restarting the bus gives every endpoint a new channel; what
/// the deaf endpoint held went back to its queue when the connection died.
/// </summary>
public sealed class MissingConsumerWatch(IBusControl bus, ILogger<MissingConsumerWatch> logger)
{
    private readonly Dictionary<string, DateTimeOffset> _missingSince = new(StringComparer.Ordinal);
    private int _restartsInARow;

    /// <summary>How long a work queue may be without a consumer before the bus is restarted.</summary>
    public TimeSpan Grace { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Bus restarts so far, for tests and the log.</summary>
    public int Restarts { get; private set; }

    /// <summary>
    /// The work queues without a consumer for longer than the grace, given each queue's consumer count as the
    /// broker reported it at <paramref name="now"/>. After restarts that did not bring a consumer back, each
    /// next restart waits twice as long (up to 16 graces), so a queue that cannot be consumed does not keep
    /// the whole service restarting.
    /// </summary>
    public IReadOnlyList<string> Observe(IReadOnlyDictionary<string, long> consumers, DateTimeOffset now)
    {
        foreach (var (queue, count) in consumers)
        {
            if (count > 0)
            {
                _missingSince.Remove(queue);
            }
            else
            {
                _missingSince.TryAdd(queue, now);
            }
        }

        if (_missingSince.Count == 0)
        {
            _restartsInARow = 0;
        }

        var wait = Grace * (1 << Math.Min(_restartsInARow, 4));
        return [.. _missingSince.Where(m => now - m.Value >= wait).Select(m => m.Key).Order(StringComparer.Ordinal)];
    }

    public async Task CheckAsync(IReadOnlyDictionary<string, long> consumers, DateTimeOffset now, CancellationToken ct)
    {
        var deaf = Observe(consumers, now);
        if (deaf.Count == 0)
        {
            return;
        }

        logger.LogWarning("No consumer on {Queues} for {Grace} or more although this service consumes them: restarting the bus ({Restart} in a row)",
            string.Join(", ", deaf), Grace * (1 << Math.Min(_restartsInARow, 4)), _restartsInARow + 1);
        _missingSince.Clear();
        _restartsInARow++;
        Restarts++;
        try
        {
            await bus.StopAsync(ct);
        }
        finally
        {
            // Started again even when the stop ran into its limit: a service with a stopped bus consumes nothing.
            await bus.StartAsync(ct);
        }
    }
}
