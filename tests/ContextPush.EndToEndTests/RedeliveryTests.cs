using System.Text.Json;
using ContextPush.Contracts;
using ContextPush.Testing.Servers;

namespace ContextPush.EndToEndTests;

/// <summary>Delivery is at-least-once: each stage is idempotent on DeltaId, so a redelivery changes nothing downstream.</summary>
public class RedeliveryTests(ServersFixture fixture)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_delta_delivered_twice_to_the_Assembler_and_twice_to_the_Dispatcher_gives_one_message_per_stage_and_one_card()
    {
        await using var system = await RunningContextPush.StartAsync(fixture, "redeliver");
        await using var observer = await MessageObserver.StartAsync(system.ConnectionString("messaging"));
        var delta = TestMessages.Delta(RunningContextPush.PushId, "1", 0.91m, // a seeded demo account
            settings: new Dictionary<string, string> { ["throttle:frequency"] = "7d" });

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
        // The copy announces the same delivery again (DispatchOutcome.Repeat), never a second one.
        Assert.Single(observer.Received<Delivered>(m => m.DeltaId == delta.DeltaId).Select(d => d.MessageId).Distinct());
        Assert.Equal(1L, await system.ScalarAsync<long>("dispatcherdb", "SELECT count(*) FROM deliveries WHERE status = 'delivered'"));
    }

    [Fact]
    public async Task A_poison_message_lands_in_the_error_queue_and_a_warehouse_error_degrades_the_card_and_neither_blocks_anything()
    {
        await using var system = await RunningContextPush.StartAsync(fixture, "poison");
        await using var observer = await MessageObserver.StartAsync(system.ConnectionString("messaging"));
        DeltaDetected Delta(string account) => TestMessages.Delta(RunningContextPush.PushId, account);
        var poison = TestMessages.Poison(RunningContextPush.PushId);
        // The demo warehouse's owner lookup casts the key to bigint: the warehouse refuses this key every time.
        var refused = Delta("not-a-number");
        var healthy = Delta("2");

        await observer.Publisher.Publish(poison, TestContext.Current.CancellationToken);
        await observer.Publisher.Publish(refused, TestContext.Current.CancellationToken);
        await observer.Publisher.Publish(healthy, TestContext.Current.CancellationToken);
        await observer.WaitForAsync<Delivered>(d => d.DeltaId == healthy.DeltaId, Patience);
        var degraded = await observer.WaitForAsync<ContextAssembled>(m => m.DeltaId == refused.DeltaId, Patience);
        Assert.Contains(degraded.Context.Missing, m => m.StartsWith("owner: the warehouse refused the query (22P02: invalid input syntax for type bigint", StringComparison.Ordinal));
        Assert.Null(degraded.Context.Owner);

        using var management = new RabbitMqManagement(system.Servers.MessagingManagement);
        var queue = $"api/queues/{Uri.EscapeDataString(system.Prefix)}/assembler-delta-detected_error";
        var inError = await Eventually.GetAsync("the poison message in the Assembler's error queue", async () =>
        {
            try
            {
                using var json = JsonDocument.Parse(await management.GetJsonAsync(queue, TestContext.Current.CancellationToken));
                return json.RootElement.TryGetProperty("messages", out var m) ? m.GetInt64() : 0;
            }
            catch (HttpRequestException)
            {
                return 0; // The error queue is declared with the first fault.
            }
        }, n => n > 0, Patience);

        Assert.Equal(1, inError);
        Assert.Empty(observer.Received<ContextAssembled>(m => m.DeltaId == poison.DeltaId));
    }
}
