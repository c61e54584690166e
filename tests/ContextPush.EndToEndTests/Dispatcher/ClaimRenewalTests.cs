using System.Net.Http.Json;
using Aspire.Hosting;
using Aspire.Hosting.Testing;
using ContextPush.Contracts;

namespace ContextPush.EndToEndTests.Dispatcher;

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
        // The copy announces the same delivery again at most (DispatchOutcome.Repeat), never a second one.
        Assert.Single(shared.Observer.Received<Delivered>(d => d.DeltaId == delta.DeltaId).Select(d => d.MessageId).Distinct());
        Assert.Equal("delivered", await System.ScalarAsync<string>("dispatcherdb", "SELECT status FROM deliveries WHERE delta_id = @delta", ("delta", delta.DeltaId)));
    }

    [Fact]
    public async Task A_card_posted_by_an_attempt_that_died_before_recording_it_is_found_in_Slacks_history_and_not_posted_again()
    {
        var ct = TestContext.Current.CancellationToken;
        var approval = TestMessages.Approved("dead-attempt", "C0DEAD");
        // What a Dispatcher killed between Slack's answer and its own record leaves: Slack holds the card (with
        // the DeltaId in its metadata), the delivery is still claimed 'sending' by a lease long run out.
        await DiedWhileSendingAsync(approval);
        var ts = await PostAsTheDeadAttemptDidAsync(approval, "C0DEAD");

        await shared.Observer.Publisher.Publish(approval, ct);
        var delivered = await shared.Observer.WaitForAsync<Delivered>(d => d.DeltaId == approval.DeltaId, SharedContextPush.Patience);

        Assert.Single(System.Slack.Messages, m => (string?)m["channel"] == "C0DEAD");
        Assert.Equal(ts, delivered.MessageId);
        Assert.Contains("C0DEAD", System.Slack.HistoryCalls);
        Assert.Equal("delivered", await System.ScalarAsync<string>("dispatcherdb", "SELECT status FROM deliveries WHERE delta_id = @delta", ("delta", approval.DeltaId)));
    }

    [Fact]
    public async Task A_card_posted_by_an_attempt_cut_short_mid_request_and_released_is_found_too()
    {
        var ct = TestContext.Current.CancellationToken;
        var approval = TestMessages.Approved("dead-attempt", "C0CUTSHORT");
        // A send cancelled while Slack was answering (the broker's connection lost under the consumer): the
        // claim was released at once, yet Slack may have taken the card.
        await DiedWhileSendingAsync(approval, released: true);
        var ts = await PostAsTheDeadAttemptDidAsync(approval, "C0CUTSHORT");

        await shared.Observer.Publisher.Publish(approval, ct);
        var delivered = await shared.Observer.WaitForAsync<Delivered>(d => d.DeltaId == approval.DeltaId, SharedContextPush.Patience);

        Assert.Single(System.Slack.Messages, m => (string?)m["channel"] == "C0CUTSHORT");
        Assert.Equal(ts, delivered.MessageId);
    }

    [Fact]
    public async Task An_attempt_that_died_before_Slack_took_the_card_leaves_nothing_in_the_history_and_the_card_is_posted_once()
    {
        var ct = TestContext.Current.CancellationToken;
        var approval = TestMessages.Approved("dead-attempt", "C0DEADEARLY");
        await DiedWhileSendingAsync(approval);

        await shared.Observer.Publisher.Publish(approval, ct);
        await shared.Observer.WaitForAsync<Delivered>(d => d.DeltaId == approval.DeltaId, SharedContextPush.Patience);

        Assert.Single(System.Slack.Messages, m => (string?)m["channel"] == "C0DEADEARLY");
        Assert.Contains("C0DEADEARLY", System.Slack.HistoryCalls);
    }

    private Task DiedWhileSendingAsync(DeliveryApproved approval, bool released = false) => System.ExecuteAsync("dispatcherdb", $"""
        INSERT INTO deliveries (delta_id, correlation_id, push_id, account_key, status, claimed_at, claim_token, attempt_started_at)
        VALUES ('{approval.DeltaId}', '{approval.CorrelationId}', '{approval.Delta.PushId}', '{approval.Delta.AccountKey}', 'sending',
                {(released ? "'-infinity'" : "now() - interval '20 seconds'")}, gen_random_uuid(), now() - interval '25 seconds')
        """);

    /// <summary>The card as the Dispatcher posts it, with the DeltaId in its metadata; answers Slack's ts.</summary>
    private async Task<string> PostAsTheDeadAttemptDidAsync(DeliveryApproved approval, string channel)
    {
        using var http = new HttpClient();
        http.DefaultRequestHeaders.Authorization = new("Bearer", System.Slack.Token);
        var card = new System.Text.Json.Nodes.JsonObject
        {
            ["channel"] = channel,
            ["text"] = "posted by an attempt that died",
            ["metadata"] = new System.Text.Json.Nodes.JsonObject
            {
                ["event_type"] = "contextpush_card",
                ["event_payload"] = new System.Text.Json.Nodes.JsonObject { ["delta_id"] = approval.DeltaId.ToString() },
            },
        };
        using var response = await http.PostAsJsonAsync(new Uri(System.Slack.BaseUrl, "chat.postMessage"), card, TestContext.Current.CancellationToken);
        var answer = await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>(TestContext.Current.CancellationToken);
        Assert.True(answer.GetProperty("ok").GetBoolean(), answer.ToString());
        return answer.GetProperty("ts").GetString()!;
    }
}
