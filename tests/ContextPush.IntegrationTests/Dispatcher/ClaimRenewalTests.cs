using Aspire.Hosting;
using Aspire.Hosting.Testing;
using ContextPush.Contracts;

namespace ContextPush.IntegrationTests.Dispatcher;

/// <summary>The Dispatcher with a two-second lease on its delivery claims, so a slow Slack outlasts it within a test.</summary>
public sealed class ShortLeaseContextPush(ServersFixture fixture) : SharedContextPush(fixture)
{
    public static readonly TimeSpan Lease = TimeSpan.FromSeconds(2);

    protected override void Configure(IDistributedApplicationTestingBuilder builder) =>
        builder.Service("dispatcher").WithEnvironment("Idempotency__Lease", Lease.ToString());
}

/// <summary>A delivery claim lives as long as its send, however slow the platform: a redelivered copy never posts the card again.</summary>
public sealed class ClaimRenewalTests(ShortLeaseContextPush shared) : IClassFixture<ShortLeaseContextPush>
{
    private RunningContextPush System => shared.System;

    [Fact]
    public async Task A_send_that_outlasts_the_lease_keeps_its_claim_and_the_redelivered_copy_posts_nothing()
    {
        var ct = TestContext.Current.CancellationToken;
        var approval = TestMessages.Approved("slow-slack", "C0SLOW");
        var delta = approval.Delta;
        var slack = System.Slack;
        slack.HoldPosts = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        try
        {
            await shared.Observer.Publisher.Publish(approval, ct);
            var arrived = await Eventually.GetAsync("the card's chat.postMessage at Slack",
                () => Task.FromResult(slack.Calls.FirstOrDefault(c => c.Channel == "C0SLOW")), c => c.Channel is not null);
            await shared.Observer.Publisher.Publish(approval, ct); // a redelivery while Slack is still holding the first post

            // The claim is renewed while Slack holds the post, well past two leases.
            await Eventually.UntilAsync("the delivery claim renewed past twice its lease", async () =>
                await System.ScalarAsync<DateTime>("dispatcherdb", "SELECT claimed_at FROM deliveries WHERE delta_id = @delta", ("delta", delta.DeltaId))
                >= arrived.At.UtcDateTime + 2 * ShortLeaseContextPush.Lease);
        }
        finally
        {
            slack.HoldPosts.TrySetResult();
            slack.HoldPosts = null;
        }

        await shared.Observer.WaitForAsync<Delivered>(d => d.DeltaId == delta.DeltaId, SharedContextPush.Patience);
        await System.WaitUntilIdleAsync(SharedContextPush.Patience);

        Assert.Single(slack.Calls, c => c.Channel == "C0SLOW");
        Assert.Single(shared.Observer.Received<Delivered>(d => d.DeltaId == delta.DeltaId));
        Assert.Equal("delivered", await System.ScalarAsync<string>("dispatcherdb", "SELECT status FROM deliveries WHERE delta_id = @delta", ("delta", delta.DeltaId)));
    }
}
