using System.Collections.Concurrent;
using ContextPush.Contracts;
using MassTransit;

namespace ContextPush.Testing;

/// <summary>
/// A bus of the test's own on the application's virtual host: publishes as a service would and
/// records every pipeline message on a queue of its own, so tests can await and count them.
/// </summary>
public sealed class MessageObserver : IAsyncDisposable
{
    private readonly IBusControl _bus;
    private readonly ConcurrentQueue<object> _received = new();
    private readonly SemaphoreSlim _arrived = new(0);

    private MessageObserver(IBusControl bus) => _bus = bus;

    public IPublishEndpoint Publisher => _bus;

    /// <summary>Sends straight to a queue, e.g. to park a message in an _error queue as a fault would.</summary>
    public async Task SendAsync<T>(string queue, T message) where T : class =>
        await (await _bus.GetSendEndpoint(new Uri($"queue:{queue}"))).Send(message, TestContext.Current.CancellationToken);

    public static async Task<MessageObserver> StartAsync(string messaging)
    {
        MessageObserver? observer = null;
        var bus = Bus.Factory.CreateUsingRabbitMq(cfg =>
        {
            cfg.Host(new Uri(messaging));
            cfg.ReceiveEndpoint("test-observer", e =>
            {
                e.Handler<DeltaDetected>(c => observer!.Record(c.Message));
                e.Handler<ContextAssembled>(c => observer!.Record(c.Message));
                e.Handler<DeliveryApproved>(c => observer!.Record(c.Message));
                e.Handler<Delivered>(c => observer!.Record(c.Message));
                e.Handler<DeliverySuppressed>(c => observer!.Record(c.Message));
                e.Handler<CardActioned>(c => observer!.Record(c.Message));
                e.Handler<DeliveryFailed>(c => observer!.Record(c.Message));
                e.Handler<DigestApproved>(c => observer!.Record(c.Message));
                e.Handler<DigestDelivered>(c => observer!.Record(c.Message));
                e.Handler<AdoptionReportDue>(c => observer!.Record(c.Message));
                e.Handler<CrmTaskCompleted>(c => observer!.Record(c.Message));
                e.Handler<CrmTasksChanged>(c => observer!.Record(c.Message));
            });
        });
        observer = new MessageObserver(bus);
        await bus.StartAsync(TestContext.Current.CancellationToken);
        return observer;
    }

    public IReadOnlyList<T> Received<T>(Func<T, bool> match) => _received.OfType<T>().Where(match).ToList();

    public async Task<T> WaitForAsync<T>(Func<T, bool> match, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        while (true)
        {
            if (_received.OfType<T>().FirstOrDefault(match) is { } found)
            {
                return found;
            }

            try
            {
                await _arrived.WaitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"No {typeof(T).Name} within {timeout.TotalSeconds:0}s; received {_received.Count} messages");
            }
        }
    }

    private Task Record(object message)
    {
        _received.Enqueue(message);
        _arrived.Release();
        return Task.CompletedTask;
    }

    public async ValueTask DisposeAsync() => await _bus.StopAsync();
}
