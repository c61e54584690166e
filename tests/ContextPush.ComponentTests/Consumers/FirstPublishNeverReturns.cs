using MassTransit;

namespace ContextPush.ComponentTests.Consumers;

/// <summary>Holds the first publish of <typeparamref name="TMessage"/> for good, the way a confirm that never comes does; later ones pass.</summary>
public sealed class FirstPublishNeverReturns<TMessage> : IPublishObserver where TMessage : class
{
    private readonly TaskCompletionSource never = new();
    private int seen;

    public bool Held => Volatile.Read(ref seen) > 0;

    public Task PrePublish<T>(PublishContext<T> context) where T : class =>
        context.Message is TMessage && Interlocked.Increment(ref seen) == 1 ? never.Task : Task.CompletedTask;

    public Task PostPublish<T>(PublishContext<T> context) where T : class => Task.CompletedTask;

    public Task PublishFault<T>(PublishContext<T> context, Exception exception) where T : class => Task.CompletedTask;
}
