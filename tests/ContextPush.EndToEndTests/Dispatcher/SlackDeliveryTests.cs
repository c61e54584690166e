using System.Net.Http.Json;
using System.Text.Json;
using Aspire.Hosting;
using Aspire.Hosting.Testing;
using ContextPush.Contracts;

namespace ContextPush.EndToEndTests.Dispatcher;

/// <summary>A running ContextPush whose Dispatcher paces Slack at ten messages per second per channel.</summary>
public sealed class PacedContextPush(ServersFixture fixture) : SharedContextPush(fixture)
{
    public const int PerSecond = 10;

    protected override void Configure(IDistributedApplicationTestingBuilder builder) =>
        builder.Service("dispatcher").WithEnvironment("Dispatcher__Slack__MessagesPerSecondPerChannel", PerSecond.ToString(global::System.Globalization.CultureInfo.InvariantCulture));
}

/// <summary>Delivery to a fake Slack that rate-limits, fails and refuses like the real one.</summary>
public sealed class SlackDeliveryTests(PacedContextPush shared) : IClassFixture<PacedContextPush>
{
    private RunningContextPush System => shared.System;

    [Fact]
    public async Task A_burst_of_50_cards_to_one_channel_keeps_the_pace_loses_none_and_holds_up_no_other_channel()
    {
        var burst = Enumerable.Range(0, 50).Select(_ => Approval("C0BURST")).ToList();
        foreach (var approval in burst)
        {
            await shared.Observer.Publisher.Publish(approval, TestContext.Current.CancellationToken);
        }

        var other = Approval("C0OTHER");
        await shared.Observer.Publisher.Publish(other, TestContext.Current.CancellationToken);
        await shared.Observer.WaitForAsync<Delivered>(d => d.DeltaId == other.DeltaId, SharedContextPush.Patience);
        var burstDoneWhenOtherArrived = burst.Count(a => shared.Observer.Received<Delivered>(d => d.DeltaId == a.DeltaId).Count > 0);
        foreach (var approval in burst)
        {
            await shared.Observer.WaitForAsync<Delivered>(d => d.DeltaId == approval.DeltaId, SharedContextPush.Patience);
        }

        var times = System.Slack.Calls.Where(c => c is { Channel: "C0BURST", Status: 200 }).Select(c => c.At).Order().ToList();
        Assert.Equal(50, times.Count);
        // No burst, measured on the fake Slack's clock, where a card's arrival also carries its request's
        // latency: on a loaded two-core machine one request can arrive ~400 ms after its slot while the
        // next ones keep theirs (a fresh-clone CI run saw ten cards 620 ms apart), which is jitter, not a
        // burst. Twice the pace would put ten cards in 500 ms throughout and the whole burst in half its 4.9 s,
        // which the check after this one fails: over the whole burst the pace must hold exactly.
        for (var i = PacedContextPush.PerSecond; i < times.Count; i++)
        {
            Assert.True(times[i] - times[i - PacedContextPush.PerSecond] >= TimeSpan.FromSeconds(0.55), $"cards {i - PacedContextPush.PerSecond} and {i} were {(times[i] - times[i - PacedContextPush.PerSecond]).TotalMilliseconds:0} ms apart");
        }

        Assert.True(times[^1] - times[0] >= TimeSpan.FromSeconds((times.Count - 1.0) / PacedContextPush.PerSecond) - TimeSpan.FromSeconds(0.2),
            $"50 cards went out in {(times[^1] - times[0]).TotalMilliseconds:0} ms");

        Assert.True(burstDoneWhenOtherArrived < burst.Count, "the other channel's card waited for the whole burst");
    }

    [Fact]
    public async Task A_429_is_waited_out_for_as_long_as_Retry_After_says()
    {
        System.Slack.RateLimitNext(1, retryAfterSeconds: 2);
        var approval = Approval("C0LIMITED");

        await shared.Observer.Publisher.Publish(approval, TestContext.Current.CancellationToken);
        await shared.Observer.WaitForAsync<Delivered>(d => d.DeltaId == approval.DeltaId, SharedContextPush.Patience);

        var limited = System.Slack.Calls.Last(c => c.Status == 429).At;
        var accepted = System.Slack.Calls.Single(c => c is { Channel: "C0LIMITED", Status: 200 }).At;
        Assert.True(accepted - limited >= TimeSpan.FromSeconds(1.9), $"retried after {(accepted - limited).TotalMilliseconds:0} ms");
    }

    [Fact]
    public async Task Server_errors_are_retried_until_the_card_goes_through()
    {
        var before = System.Slack.Calls.Count(c => c.Status == 500);
        System.Slack.FailNext(2);
        var approval = Approval("C0FLAKY");

        await shared.Observer.Publisher.Publish(approval, TestContext.Current.CancellationToken);
        await shared.Observer.WaitForAsync<Delivered>(d => d.DeltaId == approval.DeltaId, SharedContextPush.Patience);

        Assert.Equal(before + 2, System.Slack.Calls.Count(c => c.Status == 500));
        Assert.Single(System.Slack.Calls, c => c is { Channel: "C0FLAKY", Status: 200 });
    }

    [Fact]
    public async Task Permanent_refusals_are_recorded_with_Slacks_own_error_not_retried_and_listed_per_push()
    {
        System.Slack.ChannelErrors["C0MISSING"] = "channel_not_found";
        System.Slack.ChannelErrors["C0NOTIN"] = "not_in_channel";
        var missing = Approval("C0MISSING");
        var notIn = Approval("C0NOTIN");
        var good = Approval("C0GOOD");

        foreach (var approval in new[] { missing, notIn, good })
        {
            await shared.Observer.Publisher.Publish(approval, TestContext.Current.CancellationToken);
        }

        var missingFailed = await shared.Observer.WaitForAsync<DeliveryFailed>(f => f.DeltaId == missing.DeltaId, SharedContextPush.Patience);
        var notInFailed = await shared.Observer.WaitForAsync<DeliveryFailed>(f => f.DeltaId == notIn.DeltaId, SharedContextPush.Patience);
        await shared.Observer.WaitForAsync<Delivered>(d => d.DeltaId == good.DeltaId, SharedContextPush.Patience);
        await System.WaitUntilIdleAsync(SharedContextPush.Patience);

        Assert.Equal(("channel_not_found", true, "C0MISSING"), (missingFailed.Error, missingFailed.Permanent, missingFailed.Destination));
        Assert.Equal(("not_in_channel", true), (notInFailed.Error, notInFailed.Permanent));
        Assert.Single(System.Slack.Calls, c => c.Channel == "C0MISSING");
        var listed = await System.Http.GetFromJsonAsync<JsonElement>(new Uri(System.Url("dispatcher"), "/deliveries?push=refusals&status=failed"),
            TestContext.Current.CancellationToken);
        Assert.Equal(["channel_not_found", "not_in_channel"], listed.EnumerateArray().Select(d => d.GetProperty("error").GetString()).Order());
    }

    private static DeliveryApproved Approval(string channel)
    {
        var delta = new DeltaDetected
        {
            CorrelationId = Guid.NewGuid(),
            DeltaId = Guid.NewGuid(),
            RunId = Guid.NewGuid(),
            PushId = channel is "C0MISSING" or "C0NOTIN" or "C0GOOD" ? "refusals" : "pacing",
            Topic = "churn-risk",
            AccountKey = Guid.NewGuid().ToString("N"),
            Kind = DeltaKind.Entered,
            Metrics = new Dictionary<string, decimal?> { ["churn_probability"] = 0.9m },
            PreviousMetrics = new Dictionary<string, decimal?>(),
            DetectedAt = DateTimeOffset.UtcNow,
            Settings = new Dictionary<string, string> { ["delivery:slack:channel"] = channel },
        };
        return new DeliveryApproved
        {
            CorrelationId = delta.CorrelationId,
            DeltaId = delta.DeltaId,
            Delta = delta,
            Context = new AssembledContext
            {
                AccountName = "Acme " + delta.AccountKey[..6],
                Headline = "Acme: entered churn risk",
                Tickets = [],
                Lines = ["Owner: unknown"],
                Links = [],
                Missing = ["owner"],
            },
            ApprovedAt = DateTimeOffset.UtcNow,
        };
    }
}
