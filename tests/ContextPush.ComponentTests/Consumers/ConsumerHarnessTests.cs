using ContextPush.Contracts;
using ContextPush.Dispatcher.Delivery;
using ContextPush.Throttler.Throttling;
using MassTransit;
using MassTransit.Testing;

namespace ContextPush.ComponentTests.Consumers;

/// <summary>Each stage's consumer, composed as in production, takes a message and announces its outcome once, however often the message comes.</summary>
public sealed class ConsumerHarnessTests(ServersFixture fixture)
{
    private static readonly Dictionary<string, string> ConsoleDelivery = new() { ["delivery:channel"] = "console" };

    [Fact]
    public async Task The_Throttler_decides_a_delta_delivered_twice_once_and_approves_it_once()
    {
        await using var throttler = await ServiceUnderHarness.StartAsync(fixture, "ContextPush.Throttler", b => b.AddThrottling(), "throttlerdb");
        // No metrics: the priority rule has no history to ask, so the decision is the cap's alone.
        var assembled = TestMessages.Assembled(TestMessages.Delta("harness", "42", settings: ConsoleDelivery) with { Metrics = new Dictionary<string, decimal?>() });

        await PublishTwiceAsync(throttler.Harness, assembled, a => a.DeltaId == assembled.DeltaId);

        Assert.Single(throttler.Harness.Published.Select<DeliveryApproved>(m => m.Context.Message.DeltaId == assembled.DeltaId, TestContext.Current.CancellationToken));
        Assert.Empty(throttler.Harness.Published.Select<DeliverySuppressed>(m => m.Context.Message.DeltaId == assembled.DeltaId, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task The_Dispatcher_delivers_an_approval_received_twice_once_and_announces_the_same_delivery_again()
    {
        await using var dispatcher = await ServiceUnderHarness.StartAsync(fixture, "ContextPush.Dispatcher", b => b.AddDispatching(), "dispatcherdb");
        var delta = TestMessages.Delta("harness", "42", settings: ConsoleDelivery);
        var approved = new DeliveryApproved
        {
            CorrelationId = delta.CorrelationId, DeltaId = delta.DeltaId, Delta = delta, Context = TestMessages.Assembled(delta).Context, ApprovedAt = DateTimeOffset.UtcNow,
        };

        await PublishTwiceAsync(dispatcher.Harness, approved, a => a.DeltaId == approved.DeltaId);

        // The copy announces the recorded delivery again (its first announcement may never have reached the
        // broker); a second send would carry a time of its own.
        var announced = dispatcher.Harness.Published.Select<Delivered>(m => m.Context.Message.DeltaId == approved.DeltaId, TestContext.Current.CancellationToken)
            .Select(m => m.Context.Message).ToList();
        Assert.Equal(2, announced.Count);
        Assert.Single(announced.Select(d => (d.Channel, d.MessageId)).Distinct());
        Assert.Equal(announced[0].DeliveredAt, announced[1].DeliveredAt, TimeSpan.FromMilliseconds(1)); // PostgreSQL keeps microseconds
        Assert.Equal("console", announced[0].Channel);
        Assert.Empty(dispatcher.Harness.Published.Select<DeliveryFailed>(m => m.Context.Message.DeltaId == approved.DeltaId, TestContext.Current.CancellationToken));
    }

    // Without the publish timeout the consumer, and so the host's stop, would wait for good: fail instead.
    [Fact(Timeout = 120_000)]
    public async Task A_publish_the_broker_never_confirms_is_given_up_after_the_publish_timeout_and_the_delta_is_decided_on_the_next_try()
    {
        await using var throttler = await ServiceUnderHarness.StartAsync(fixture, "ContextPush.Throttler", b =>
        {
            b.Configuration["Messaging:PublishTimeout"] = "00:00:01";
            b.AddThrottling();
        }, "throttlerdb");
        // As RabbitMQ.Client 7 can after a broker restart (rabbitmq-dotnet-client#1930): the first approval's publish never returns.
        var stuck = new FirstPublishNeverReturns<DeliveryApproved>();
        using var observing = throttler.Harness.Bus.ConnectPublishObserver(stuck);
        var assembled = TestMessages.Assembled(TestMessages.Delta("harness", "43", settings: ConsoleDelivery) with { Metrics = new Dictionary<string, decimal?>() });

        await throttler.Harness.Bus.Publish(assembled, TestContext.Current.CancellationToken);
        await Eventually.UntilAsync("the delta decided despite the stuck publish", () => Task.FromResult(Consumed(throttler.Harness, (ContextAssembled a) => a.DeltaId == assembled.DeltaId) >= 1));

        Assert.True(stuck.Held);
        Assert.Single(throttler.Harness.Published.Select<DeliveryApproved>(m => m.Context.Message.DeltaId == assembled.DeltaId, TestContext.Current.CancellationToken));
        Assert.False(await throttler.Harness.Published.Any<Fault<ContextAssembled>>(TestContext.Current.CancellationToken));
    }

    /// <summary>The second copy only once the first was consumed: two copies at once would wait out the claim's lease.</summary>
    private static async Task PublishTwiceAsync<T>(ITestHarness harness, T message, Func<T, bool> match) where T : class
    {
        var ct = TestContext.Current.CancellationToken;
        await harness.Bus.Publish(message, ct);
        await Eventually.UntilAsync($"the first {typeof(T).Name} consumed", () => Task.FromResult(Consumed(harness, match) >= 1));
        await harness.Bus.Publish(message, ct);
        await Eventually.UntilAsync($"the second {typeof(T).Name} consumed", () => Task.FromResult(Consumed(harness, match) >= 2));
    }

    private static int Consumed<T>(ITestHarness harness, Func<T, bool> match) where T : class =>
        harness.Consumed.Select<T>(m => match(m.Context.Message)).Count(m => m.Exception is null);
}
