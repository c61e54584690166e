using System.Collections.Concurrent;
using MassTransit;

namespace ContextPush.ServiceDefaults.Messaging;

/// <summary>
/// What this process has taken from each of its queues: deliveries received so far, how many are in flight, and
/// the most ever in flight at once. The <see cref="MissingConsumerWatch"/> reads it to tell an endpoint that is busy
/// from one that has room and yet receives nothing while messages wait, which is how an endpoint whose channel
/// died unnoticed looks from inside the process.
/// </summary>
public sealed class ReceiveActivity : IReceiveObserver
{
    private readonly ConcurrentDictionary<string, Counts> _queues = new(StringComparer.Ordinal);

    public QueueActivity this[string queue] => _queues.TryGetValue(queue, out var c)
        ? new QueueActivity(Interlocked.Read(ref c.Received), Volatile.Read(ref c.InFlight), Volatile.Read(ref c.MostInFlight))
        : default;

    public Task PreReceive(ReceiveContext context)
    {
        var counts = _queues.GetOrAdd(QueueOf(context.InputAddress), _ => new Counts());
        Interlocked.Increment(ref counts.Received);
        var inFlight = Interlocked.Increment(ref counts.InFlight);
        for (var most = Volatile.Read(ref counts.MostInFlight); inFlight > most; most = Volatile.Read(ref counts.MostInFlight))
        {
            if (Interlocked.CompareExchange(ref counts.MostInFlight, inFlight, most) == most)
            {
                break;
            }
        }

        return Task.CompletedTask;
    }

    // MassTransit calls exactly one of these two for each delivery that passed PreReceive.
    public Task PostReceive(ReceiveContext context) => Done(context);

    public Task ReceiveFault(ReceiveContext context, Exception exception) => Done(context);

    public Task PostConsume<T>(ConsumeContext<T> context, TimeSpan duration, string consumerType) where T : class => Task.CompletedTask;

    public Task ConsumeFault<T>(ConsumeContext<T> context, TimeSpan duration, string consumerType, Exception exception) where T : class =>
        Task.CompletedTask;

    private Task Done(ReceiveContext context)
    {
        if (_queues.TryGetValue(QueueOf(context.InputAddress), out var counts))
        {
            Interlocked.Decrement(ref counts.InFlight);
        }

        return Task.CompletedTask;
    }

    // rabbitmq://host:port/vhost/queue?options: the queue is the last segment of the path.
    private static string QueueOf(Uri address) => Uri.UnescapeDataString(address.AbsolutePath[(address.AbsolutePath.LastIndexOf('/') + 1)..]);

    private sealed class Counts
    {
        public long Received;
        public int InFlight;
        public int MostInFlight;
    }
}

/// <summary>One queue's deliveries as this process saw them.</summary>
public readonly record struct QueueActivity(long Received, int InFlight, int MostInFlight)
{
    /// <summary>Room for another delivery: nothing in flight, or fewer than the endpoint has been seen to hold at once.</summary>
    public bool HasRoom => InFlight == 0 || InFlight < MostInFlight;
}
