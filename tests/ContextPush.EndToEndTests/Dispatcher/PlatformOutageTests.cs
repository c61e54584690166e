using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Aspire.Hosting;
using Aspire.Hosting.Testing;
using ContextPush.Contracts;
using ContextPush.Testing.Servers;

namespace ContextPush.EndToEndTests.Dispatcher;

/// <summary>
/// The Dispatcher with its redelivery compressed from a day into seconds, and short HTTP retries, so
/// an outage that outlasts them both fits in a test.
/// </summary>
public sealed class OutageContextPush(ServersFixture fixture) : SharedContextPush(fixture)
{
    public static readonly TimeSpan Horizon = TimeSpan.FromSeconds(8);

    protected override void Configure(IDistributedApplicationTestingBuilder builder) =>
        builder.Service("dispatcher")
            .WithEnvironment("Dispatcher__Redelivery__FirstDelay", "00:00:00.300")
            .WithEnvironment("Dispatcher__Redelivery__MaxDelay", "00:00:01")
            .WithEnvironment("Dispatcher__Redelivery__Horizon", Horizon.ToString())
            .WithEnvironment("Dispatcher__Redelivery__PollInterval", "00:00:00.100")
            .WithEnvironment("HttpResilience__Retry__Delay", "00:00:00.050")
            .WithEnvironment("HttpResilience__Retry__MaxRetryAttempts", "1");
}

/// <summary>
/// A platform that is down is waited for, never given up on within the horizon: the card is tried
/// again with growing delays, shows 'retrying' meanwhile, and goes through once when the platform is
/// back. Past the horizon it is recorded as failed and its message waits in the error queue.
/// </summary>
public sealed class PlatformOutageTests(OutageContextPush shared) : IClassFixture<OutageContextPush>
{
    private RunningContextPush System => shared.System;

    [Fact]
    public async Task A_Slack_outage_longer_than_the_HTTP_retries_is_waited_out_and_the_card_is_posted_once()
    {
        var ct = TestContext.Current.CancellationToken;
        var approval = Approval("C0OUTAGE");
        System.Slack.FailNext(int.MaxValue);
        try
        {
            await shared.Observer.Publisher.Publish(approval, ct);
            var (retrying, _) = await Eventually.GetAsync("the delivery listed as retrying after a redelivered attempt failed too",
                async () => (await DeliveryAsync(approval.DeltaId), await AttemptsAsync(approval.DeltaId)),
                d => d.Item1?.GetProperty("status").GetString() == "retrying" && d.Item2 >= 2);
            Assert.Contains("500", retrying!.Value.GetProperty("error").GetString());
            Assert.Equal(JsonValueKind.String, retrying.Value.GetProperty("nextAttemptAt").ValueKind);
        }
        finally
        {
            System.Slack.FailNext(0);
        }

        await shared.Observer.WaitForAsync<Delivered>(d => d.DeltaId == approval.DeltaId, SharedContextPush.Patience);
        await System.WaitUntilIdleAsync(SharedContextPush.Patience);

        Assert.Single(System.Slack.Messages, m => (string?)m["channel"] == "C0OUTAGE");
        Assert.Single(shared.Observer.Received<Delivered>(d => d.DeltaId == approval.DeltaId));
        Assert.Empty(shared.Observer.Received<DeliveryFailed>(f => f.DeltaId == approval.DeltaId));
        var delivered = await DeliveryAsync(approval.DeltaId);
        Assert.Equal("delivered", delivered!.Value.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, delivered.Value.GetProperty("error").ValueKind);
        Assert.Equal(0, await AttemptsAsync(approval.DeltaId));
    }

    [Fact]
    public async Task An_outage_past_the_horizon_records_the_card_failed_and_parks_its_message_in_the_error_queue()
    {
        var ct = TestContext.Current.CancellationToken;
        var approval = Approval("C0GONE");
        using var management = new RabbitMqManagement(System.Servers.MessagingManagement);
        var before = await management.QueueFigureAsync(System.Prefix, "dispatcher-delivery-approved_error", "messages", ct);
        DeliveryFailed failed;
        System.Slack.FailNext(int.MaxValue);
        try
        {
            await shared.Observer.Publisher.Publish(approval, ct);
            failed = await shared.Observer.WaitForAsync<DeliveryFailed>(f => f.DeltaId == approval.DeltaId, SharedContextPush.Patience);
        }
        finally
        {
            System.Slack.FailNext(0);
        }

        Assert.False(failed.Permanent);
        Assert.StartsWith($"gave up on {approval.DeltaId} after ", failed.Error);
        Assert.Contains("500", failed.Error);
        Assert.True(failed.FailedAt - approval.ApprovedAt >= OutageContextPush.Horizon, $"given up after {failed.FailedAt - approval.ApprovedAt}");
        await Eventually.UntilAsync("the approval in the Dispatcher's error queue", async () =>
            await management.QueueFigureAsync(System.Prefix, "dispatcher-delivery-approved_error", "messages", ct) == before + 1);
        var parked = (await management.PeekAsync(System.Prefix, "dispatcher-delivery-approved_error", (int)before + 1, ct)).EnumerateArray()
            .Single(m => m.GetProperty("payload").GetString()!.Contains(approval.DeltaId.ToString(), StringComparison.Ordinal));
        Assert.StartsWith("gave up on", parked.GetProperty("properties").GetProperty("headers").GetProperty("MT-Fault-Message").GetString());
        Assert.Equal("failed", (await DeliveryAsync(approval.DeltaId))!.Value.GetProperty("status").GetString());
        Assert.Equal(0, await AttemptsAsync(approval.DeltaId));
        Assert.DoesNotContain(System.Slack.Messages, m => (string?)m["channel"] == "C0GONE");
    }

    [Fact]
    public async Task A_parked_card_is_replayed_by_DeltaId_once_Slack_is_back_after_a_dry_run_that_only_counts_and_a_replay_never_doubles_it()
    {
        var ct = TestContext.Current.CancellationToken;
        const string ErrorQueue = "dispatcher-delivery-approved_error";
        var approval = Approval("C0REPLAY");
        System.Slack.FailNext(int.MaxValue);
        try
        {
            await shared.Observer.Publisher.Publish(approval, ct);
            await shared.Observer.WaitForAsync<DeliveryFailed>(f => f.DeltaId == approval.DeltaId, SharedContextPush.Patience);
        }
        finally
        {
            System.Slack.FailNext(0);
        }

        await Eventually.UntilAsync("the approval parked", async () => await ParkedAsync(approval.DeltaId) == 1);
        var parkedBefore = await ParkedAsync(null);

        var dryRun = await ReplayAsync($"deltaId={approval.DeltaId}&dryRun=true");
        Assert.Equal((1, 0), (dryRun.GetProperty("matched").GetInt32(), dryRun.GetProperty("moved").GetInt32()));
        var otherPush = await ReplayAsync("push=some-other-push");
        Assert.Equal((0, 0), (otherPush.GetProperty("matched").GetInt32(), otherPush.GetProperty("moved").GetInt32()));
        Assert.Equal(parkedBefore, await ParkedAsync(null));
        Assert.Empty(shared.Observer.Received<Delivered>(d => d.DeltaId == approval.DeltaId));

        var replayed = await ReplayAsync($"queue=dispatcher-delivery-approved&deltaId={approval.DeltaId}");
        Assert.Equal(1, replayed.GetProperty("moved").GetInt32());
        await shared.Observer.WaitForAsync<Delivered>(d => d.DeltaId == approval.DeltaId, SharedContextPush.Patience);
        Assert.Equal(parkedBefore - 1, await ParkedAsync(null));

        // A second parked copy of the delivered approval (a crash mid-replay leaves one): replaying it posts nothing.
        await shared.Observer.SendAsync(ErrorQueue, approval);
        await Eventually.UntilAsync("the copy parked", async () => await ParkedAsync(approval.DeltaId) == 1);
        Assert.Equal(1, (await ReplayAsync($"deltaId={approval.DeltaId}")).GetProperty("moved").GetInt32());
        await System.WaitUntilIdleAsync(SharedContextPush.Patience);

        Assert.Single(System.Slack.Messages, m => (string?)m["channel"] == "C0REPLAY");
        // The replayed copy announces the same delivery again (DispatchOutcome.Repeat), never a second one.
        Assert.Single(shared.Observer.Received<Delivered>(d => d.DeltaId == approval.DeltaId).Select(d => d.MessageId).Distinct());
        Assert.Equal("delivered", (await DeliveryAsync(approval.DeltaId))!.Value.GetProperty("status").GetString());
        Assert.Equal(0, await ParkedAsync(approval.DeltaId));
    }

    [Fact]
    public async Task A_replay_names_what_is_wrong_with_its_request()
    {
        var unknownQueue = await System.Http.PostAsync(new Uri(System.Url("dispatcher"), "/admin/error-queues/replay?queue=nope"), null, TestContext.Current.CancellationToken);
        var badDelta = await System.Http.PostAsync(new Uri(System.Url("dispatcher"), "/admin/error-queues/replay?deltaId=42"), null, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, unknownQueue.StatusCode);
        Assert.Contains("queue 'nope' is not one of this service's queues (dispatcher-", await unknownQueue.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal(HttpStatusCode.BadRequest, badDelta.StatusCode);
        Assert.Contains("deltaId '42' is not a DeltaId", await badDelta.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    private async Task<JsonElement> ReplayAsync(string query)
    {
        using var response = await System.Http.PostAsync(new Uri(System.Url("dispatcher"), "/admin/error-queues/replay?" + query), null, TestContext.Current.CancellationToken);
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.IsSuccessStatusCode, body);
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    /// <summary>How many of the delta's messages (or all) a dry run finds parked: read from the broker, unlike the management API's sampled figures.</summary>
    private async Task<int> ParkedAsync(Guid? deltaId) => (await ReplayAsync($"deltaId={deltaId}&dryRun=true")).GetProperty("matched").GetInt32();

    private static DeliveryApproved Approval(string channel) => TestMessages.Approved("outage", channel);

    /// <summary>The delta's row in GET /deliveries, as on-call reads it.</summary>
    private async Task<JsonElement?> DeliveryAsync(Guid deltaId)
    {
        var listed = await System.Http.GetFromJsonAsync<JsonElement>(new Uri(System.Url("dispatcher"), "/deliveries?push=outage&limit=1000"));
        return listed.EnumerateArray().Where(d => d.GetProperty("deltaId").GetGuid() == deltaId).Select(d => (JsonElement?)d).FirstOrDefault();
    }

    private Task<int> AttemptsAsync(Guid deltaId) =>
        System.ScalarAsync<int>("dispatcherdb", "SELECT coalesce((SELECT attempts FROM redeliveries WHERE delta_id = @delta), 0)", ("delta", deltaId));
}
