using System.Collections.Concurrent;
using ContextPush.Contracts;
using MassTransit;

namespace ContextPush.Bench.Pipeline;

/// <summary>
/// The pipeline's outcomes as the bus carries them: every <c>Delivered</c> (with its own time),
/// suppression and failure, counted per push. A queue of the benchmark's own, as any other subscriber's.
/// </summary>
internal sealed class PipelineWatch : IConsumer<Delivered>, IConsumer<DeliverySuppressed>, IConsumer<DeliveryFailed>
{
    private readonly ConcurrentDictionary<string, int> _delivered = new();
    private readonly ConcurrentDictionary<string, int> _notDelivered = new();
    private readonly ConcurrentDictionary<Guid, DateTimeOffset> _deliveredAt = new();
    private readonly ConcurrentQueue<string> _reasons = new();

    public DateTimeOffset LastDeliveredAt { get; private set; }

    public int Delivered(string push) => _delivered.GetValueOrDefault(push);

    /// <summary>Deltas of the push that were suppressed or failed: each a sign the benchmark measured less than it meant to.</summary>
    public int NotDelivered(string push) => _notDelivered.GetValueOrDefault(push);

    public IEnumerable<string> Reasons => _reasons.Take(5);

    public DateTimeOffset? DeliveredAt(Guid deltaId) => _deliveredAt.TryGetValue(deltaId, out var at) ? at : null;

    public Task Consume(ConsumeContext<Delivered> context)
    {
        var delivered = context.Message;
        _deliveredAt[delivered.DeltaId] = delivered.DeliveredAt;
        lock (_delivered)
        {
            if (delivered.DeliveredAt > LastDeliveredAt)
            {
                LastDeliveredAt = delivered.DeliveredAt;
            }
        }

        _delivered.AddOrUpdate(delivered.PushId, 1, (_, n) => n + 1);
        return Task.CompletedTask;
    }

    public Task Consume(ConsumeContext<DeliverySuppressed> context) => NotDeliveredBecause(context.Message.PushId, $"suppressed: {context.Message.Reason} ({context.Message.Detail})");

    public Task Consume(ConsumeContext<DeliveryFailed> context) => NotDeliveredBecause(context.Message.PushId, $"failed: {context.Message.Error}");

    private Task NotDeliveredBecause(string push, string reason)
    {
        _notDelivered.AddOrUpdate(push, 1, (_, n) => n + 1);
        if (_reasons.Count < 5)
        {
            _reasons.Enqueue($"{push}: {reason}");
        }

        return Task.CompletedTask;
    }

    /// <summary>Waits until <paramref name="count"/> deltas of the push are delivered, or says what came instead.</summary>
    public async Task UntilDeliveredAsync(string push, int count, TimeSpan patience)
    {
        var deadline = DateTime.UtcNow + patience;
        var last = -1;
        var lastChange = DateTime.UtcNow;
        while (Delivered(push) < count)
        {
            if (NotDelivered(push) > 0)
            {
                throw new InvalidOperationException($"{push}: {NotDelivered(push)} delta(s) were not delivered, e.g. {string.Join("; ", Reasons)}");
            }

            // Progress resets the patience: a slow run is measured, only a stalled one is given up.
            if (Delivered(push) != last)
            {
                (last, lastChange) = (Delivered(push), DateTime.UtcNow);
            }

            if (DateTime.UtcNow > deadline && DateTime.UtcNow - lastChange > TimeSpan.FromSeconds(60))
            {
                throw new TimeoutException($"{push}: {Delivered(push)} of {count} delivered after {patience}, none in the last minute");
            }

            await Task.Delay(50);
        }
    }
}

/// <summary>
/// Copies of what one stage publishes, taken from a temporary queue of the benchmark's own: the deltas
/// the steady feed sends again, and each message's size on the wire for the bare chain.
/// </summary>
internal sealed class Captured<T> : IConsumer<T> where T : class
{
    public ConcurrentQueue<T> Messages { get; } = new();

    public int WireBytes { get; private set; }

    public Task Consume(ConsumeContext<T> context)
    {
        Messages.Enqueue(context.Message);
        if (WireBytes == 0 && context.ReceiveContext.Body is { } body)
        {
            WireBytes = body.GetBytes().Length;
        }

        return Task.CompletedTask;
    }
}
