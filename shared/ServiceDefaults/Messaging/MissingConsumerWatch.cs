using MassTransit;
using Microsoft.Extensions.Logging;

namespace ContextPush.ServiceDefaults.Messaging;

/// <summary>
/// Restarts the bus when one of this service's work queues has been without a working consumer for longer than the
/// grace. When a connection is lost, RabbitMQ.Client 7.2 tells its channels one after another, and one channel's turn
/// can wait for good: for a confirm semaphore that a publish took and could not release, its channel disposed by
/// MassTransit meanwhile. The channels after it are never told, and MassTransit's endpoints on them stay Ready and
/// healthy while waiting for deliveries that cannot come, and a publishing channel never told confirms nothing again.
/// Three signs show it: on a classic queue the broker lists no consumer; on a quorum queue, which keeps listing a
/// lost node's consumers, messages stay ready while this process, with room for more, receives none of them; and
/// no publish of this process has been confirmed since one went unconfirmed. Restarting the bus gives every endpoint
/// a new channel; what the deaf endpoint held went back to its queue when the connection died.
/// </summary>
public sealed class MissingConsumerWatch(IBusControl bus, ILogger<MissingConsumerWatch> logger, ServiceExit? exit = null,
    PublishConfirmations? confirmations = null)
{
    private readonly Dictionary<string, DateTimeOffset> _missingSince = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _received = new(StringComparer.Ordinal);
    private int _restartsInARow;

    /// <summary>What <see cref="Observe"/> names when this service's publishes have gone unconfirmed for the grace.</summary>
    public const string Publishing = "(publishing)";

    /// <summary>How long a work queue may be without a working consumer before the bus is restarted.</summary>
    public TimeSpan Grace { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How long a restart's stop may take before the service gives up and exits, for the platform to start it again.</summary>
    public TimeSpan StopLimit { get; init; } = TimeSpan.FromMinutes(3);

    /// <summary>Bus restarts so far, for tests and the log.</summary>
    public int Restarts { get; private set; }

    /// <summary>
    /// The work queues without a working consumer for longer than the grace, given each queue as sampled at
    /// <paramref name="now"/>. A queue counts as without one when the broker lists no consumer, or when messages
    /// are ready on it and this process, with room for more, received none since the last sample. After restarts
    /// that did not help, each next restart waits twice as long (up to 16 graces), so a queue that cannot be
    /// consumed does not keep the whole service restarting. Publishes unconfirmed since <paramref name="unconfirmedSince"/>
    /// for longer than the grace are named <see cref="Publishing"/>.
    /// </summary>
    public IReadOnlyList<string> Observe(IReadOnlyDictionary<string, QueueSample> queues, DateTimeOffset now, DateTimeOffset? unconfirmedSince = null)
    {
        foreach (var (queue, sample) in queues)
        {
            var receivedBefore = _received.GetValueOrDefault(queue, sample.Activity.Received);
            _received[queue] = sample.Activity.Received;
            var deaf = sample.Ready > 0 && sample.Activity.Received == receivedBefore && sample.Activity.HasRoom;
            if (sample.Consumers > 0 && !deaf)
            {
                _missingSince.Remove(queue);
            }
            else
            {
                _missingSince.TryAdd(queue, now);
            }
        }

        if (unconfirmedSince is { } since)
        {
            _missingSince.TryAdd(Publishing, since);
        }
        else
        {
            _missingSince.Remove(Publishing);
        }

        if (_missingSince.Count == 0)
        {
            _restartsInARow = 0;
        }

        var wait = Grace * (1 << Math.Min(_restartsInARow, 4));
        return [.. _missingSince.Where(m => now - m.Value >= wait).Select(m => m.Key).Order(StringComparer.Ordinal)];
    }

    public async Task CheckAsync(IReadOnlyDictionary<string, QueueSample> queues, DateTimeOffset now, CancellationToken ct)
    {
        var deaf = Observe(queues, now, confirmations?.UnconfirmedSince);
        if (deaf.Count == 0)
        {
            return;
        }

        logger.LogWarning("No working consumer or publisher on {Queues} ({Samples}) for {Grace} or more: restarting the bus ({Restart} in a row)",
            string.Join(", ", deaf), string.Join("; ", deaf.Select(d => Describe(d, queues))), Grace * (1 << Math.Min(_restartsInARow, 4)), _restartsInARow + 1);
        _missingSince.Clear();
        _restartsInARow++;
        Restarts++;
        // Bounded: a stop over a channel that died unnoticed waits for answers that never come, each up to the
        // continuation timeout. MassTransit ends a cancelled stop quietly with its host still marked started, and a
        // start then does nothing, so only a stop that finished in time can be followed by a start.
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(StopLimit);
        try
        {
            await bus.StopAsync(limit.Token).WaitAsync(limit.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
        }

        if (limit.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            // What a liveness probe would do: a new process, started by the platform, has none of this one's channels.
            exit?.Fail($"The bus did not stop within {StopLimit} for its restart");
            return;
        }

        confirmations?.Forget();
        await bus.StartAsync(ct);
    }

    private string Describe(string deaf, IReadOnlyDictionary<string, QueueSample> queues) => queues.TryGetValue(deaf, out var sample)
        ? $"{deaf}: {sample}"
        : $"{deaf}: no publish confirmed since {confirmations?.UnconfirmedSince:O}";
}

/// <summary>One work queue as the sampler read it: consumers and ready messages on the broker, deliveries in this process.</summary>
public readonly record struct QueueSample(long Consumers, long Ready, QueueActivity Activity)
{
    public override string ToString() =>
        $"{Consumers} consumers, {Ready} ready, {Activity.Received} received here, {Activity.InFlight} in flight of at most {Activity.MostInFlight}";
}
