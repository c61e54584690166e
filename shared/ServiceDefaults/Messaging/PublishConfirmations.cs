namespace ContextPush.ServiceDefaults.Messaging;

/// <summary>
/// Whether this process's publishes are being confirmed. A publishing channel that RabbitMQ.Client never told of its
/// connection's loss confirms nothing again, however often it is tried; the <see cref="MissingConsumerWatch"/>
/// restarts the bus when <see cref="UnconfirmedSince"/> stays set for its grace. Every publisher that waits for
/// confirms with a time limit reports here.
/// </summary>
public sealed class PublishConfirmations
{
    private long _unconfirmedSince;

    /// <summary>When the first publish given up unconfirmed since the last confirmed one was given up, or null.</summary>
    public DateTimeOffset? UnconfirmedSince => Interlocked.Read(ref _unconfirmedSince) is var ticks and not 0
        ? new DateTimeOffset(ticks, TimeSpan.Zero)
        : null;

    public void Confirmed() => Interlocked.Exchange(ref _unconfirmedSince, 0);

    public void GivenUp() => Interlocked.CompareExchange(ref _unconfirmedSince, DateTimeOffset.UtcNow.UtcTicks, 0);

    /// <summary>Forgets the unconfirmed publishes, after a bus restart gave the bus new channels.</summary>
    public void Forget() => Confirmed();
}
