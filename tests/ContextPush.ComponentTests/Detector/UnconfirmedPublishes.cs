using System.Reflection;
using ContextPush.Contracts;
using MassTransit;

namespace ContextPush.ComponentTests.Detector;

/// <summary>
/// A bus whose first deltas' publishes never complete, as when the channel they were sent on died
/// before the broker confirmed them; later publishes go through to the real (harness) bus.
/// </summary>
public class UnconfirmedPublishes : DispatchProxy
{
    private IBus _inner = null!;
    private int _unconfirmed;
    private int _calls;
    private bool _refuse;
    private bool _stopped;

    public int Calls => _calls;

    public static IBus Wrap(IBus inner, int unconfirmed) => Wrap(inner, unconfirmed, refuse: false);

    /// <summary>The first <paramref name="refused"/> publishes fail at once, as they do while the broker's connection is down.</summary>
    public static IBus Refusing(IBus inner, int refused) => Wrap(inner, refused, refuse: true);

    /// <summary>
    /// The first <paramref name="refused"/> publishes throw before they return a task, as MassTransit's bus does while it
    /// is being stopped or restarted.
    /// </summary>
    public static IBus Stopped(IBus inner, int refused)
    {
        var bus = Wrap(inner, refused, refuse: true);
        ((UnconfirmedPublishes)(object)bus)._stopped = true;
        return bus;
    }

    private static IBus Wrap(IBus inner, int unconfirmed, bool refuse)
    {
        var bus = Create<IBus, UnconfirmedPublishes>();
        var proxy = (UnconfirmedPublishes)(object)bus;
        proxy._inner = inner;
        proxy._unconfirmed = unconfirmed;
        proxy._refuse = refuse;
        return bus;
    }

    protected override object? Invoke(MethodInfo? method, object?[]? args)
    {
        if (method is { Name: "Publish" } && args is [DeltaDetected, ..] && Interlocked.Increment(ref _calls) <= _unconfirmed)
        {
            if (_stopped)
            {
                throw new TransportUnavailableException("The send transport is stopped: ContextPush.Contracts:DeltaDetected");
            }

            return _refuse ? Task.FromException(new MassTransitException("The broker connection is closed")) : new TaskCompletionSource().Task;
        }

        return method!.Invoke(_inner, args);
    }
}
