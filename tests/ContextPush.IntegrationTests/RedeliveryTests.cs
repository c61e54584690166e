using ContextPush.Contracts;

namespace ContextPush.IntegrationTests;

/// <summary>Delivery is at-least-once: each stage is idempotent on DeltaId, so a redelivery changes nothing downstream.</summary>
public class RedeliveryTests(ServersFixture fixture)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_delta_delivered_twice_to_the_Assembler_and_twice_to_the_Dispatcher_gives_one_message_per_stage_and_one_card()
    {
        await using var system = await RunningContextPush.StartAsync(fixture, "redeliver");
        await using var observer = await MessageObserver.StartAsync(system.ConnectionString("messaging"));
        var delta = new DeltaDetected
        {
            CorrelationId = Guid.NewGuid(),
            DeltaId = Guid.NewGuid(),
            RunId = Guid.NewGuid(),
            PushId = RunningContextPush.PushId,
            Topic = RunningContextPush.PushId,
            AccountKey = "1", // a seeded demo account
            Kind = DeltaKind.Entered,
            Metrics = new Dictionary<string, decimal?> { ["churn_probability"] = 0.91m, ["usage_drop"] = 0.02m },
            PreviousMetrics = new Dictionary<string, decimal?>(),
            DetectedAt = DateTimeOffset.UtcNow,
            Settings = new Dictionary<string, string> { ["throttle:frequency"] = "7d" },
        };

        await observer.Publisher.Publish(delta, TestContext.Current.CancellationToken);
        await observer.Publisher.Publish(delta, TestContext.Current.CancellationToken);
        await observer.WaitForAsync<Delivered>(d => d.DeltaId == delta.DeltaId, Patience);
        await system.WaitUntilIdleAsync(Patience);

        Assert.Single(observer.Received<ContextAssembled>(m => m.DeltaId == delta.DeltaId));
        var approved = Assert.Single(observer.Received<DeliveryApproved>(m => m.DeltaId == delta.DeltaId));
        Assert.Single(system.Slack.Messages);

        await observer.Publisher.Publish(approved, TestContext.Current.CancellationToken);
        await observer.WaitForAsync<DeliveryApproved>(m => m.DeltaId == delta.DeltaId && observer.Received<DeliveryApproved>(a => a.DeltaId == delta.DeltaId).Count == 2, Patience);
        await system.WaitUntilIdleAsync(Patience);

        Assert.Single(system.Slack.Messages);
        Assert.Single(observer.Received<Delivered>(m => m.DeltaId == delta.DeltaId));
        Assert.Equal(1L, await system.ScalarAsync<long>("dispatcherdb", "SELECT count(*) FROM deliveries WHERE status = 'delivered'"));
    }
}
