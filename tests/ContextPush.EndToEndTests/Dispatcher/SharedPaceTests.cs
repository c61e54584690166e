using System.Globalization;
using Aspire.Hosting;
using Aspire.Hosting.Testing;
using ContextPush.AppHost.Servers;
using ContextPush.Contracts;
using ContextPush.Testing.Servers;

namespace ContextPush.EndToEndTests.Dispatcher;

/// <summary>
/// Two Dispatcher replicas against a Slack that enforces its per-channel limit: each replica alone
/// keeps below it, so only a pace shared by both keeps their sum below it too.
/// </summary>
public sealed class TwoDispatchersContextPush(ServersFixture fixture) : SharedContextPush(fixture)
{
    /// <summary>Slack's limit in the fake, and our pace: below it, yet more than half of it, so two unshared paces would break it.</summary>
    public const int SlackLimit = 10;
    public const int Pace = 6;

    protected override string[] AppHostArgs => ["--replicas", "dispatcher=2"];

    protected override void Configure(IDistributedApplicationTestingBuilder builder) =>
        builder.Service("dispatcher").WithEnvironment("Dispatcher__Slack__MessagesPerSecondPerChannel", Pace.ToString(CultureInfo.InvariantCulture));

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        System.Slack.PostsPerSecondPerChannel = SlackLimit;
    }
}

/// <summary>The pace per destination is kept across every Dispatcher replica (GCRA in Redis).</summary>
public sealed class SharedPaceTests(TwoDispatchersContextPush shared) : IClassFixture<TwoDispatchersContextPush>
{
    private RunningContextPush System => shared.System;

    [Fact]
    public async Task Two_replicas_sending_a_burst_of_60_cards_to_one_channel_never_exceed_Slacks_limit()
    {
        var ct = TestContext.Current.CancellationToken;
        using var management = new RabbitMqManagement(System.Servers.MessagingManagement);
        await Eventually.UntilAsync("both Dispatcher replicas consuming approvals", async () =>
            await management.QueueFigureAsync(System.Prefix, "dispatcher-delivery-approved", "consumers", ct) == 2);
        // A replica's first sends are slow (connections, JIT); held back, they would reach Slack together
        // with later ones, bunched by our own start-up rather than by the pace. RabbitMQ hands the warm-up
        // round-robin to both consumers, so each replica has sent before the burst.
        var warmUp = Enumerable.Range(0, 4).Select(_ => Approval("C0WARMUP")).ToList();
        foreach (var approval in warmUp)
        {
            await shared.Observer.Publisher.Publish(approval, ct);
        }

        foreach (var approval in warmUp)
        {
            await shared.Observer.WaitForAsync<Delivered>(d => d.DeltaId == approval.DeltaId, SharedContextPush.Patience);
        }

        var burst = Enumerable.Range(0, 60).Select(_ => Approval("C0SHARED")).ToList();

        foreach (var approval in burst)
        {
            await shared.Observer.Publisher.Publish(approval, ct);
        }

        foreach (var approval in burst)
        {
            await shared.Observer.WaitForAsync<Delivered>(d => d.DeltaId == approval.DeltaId, SharedContextPush.Patience);
        }

        await System.WaitUntilIdleAsync(SharedContextPush.Patience);
        var calls = System.Slack.Calls.Where(c => c.Channel == "C0SHARED").Select(c => c.At).Order().ToList();
        Assert.True(System.Slack.RateViolations == 0, $"{System.Slack.RateViolations} posts over Slack's limit; arrivals (ms): " +
            string.Join(' ', calls.Select(c => (c - calls[0]).TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture))));
        var posted = System.Slack.Calls.Where(c => c is { Channel: "C0SHARED", Status: 200 }).Select(c => c.At).Order().ToList();
        Assert.Equal(60, posted.Count);
        Assert.Equal(60, System.Slack.Messages.Count(m => (string?)m["channel"] == "C0SHARED"));
        // The pace, not more: 59 intervals of 1/6 s, give or take the requests' own jitter. A first post
        // delayed on its way lets the next ones arrive closer (a fresh-clone CI run saw 9.47 s); Slack's
        // own limit, checked above, is the strict judge. Unpaced, the 60 go out in well under 2 s.
        Assert.True(posted[^1] - posted[0] >= TimeSpan.FromSeconds(59.0 / TwoDispatchersContextPush.Pace) - TimeSpan.FromSeconds(1),
            $"60 cards went out in {(posted[^1] - posted[0]).TotalMilliseconds:0} ms");
    }

    internal static DeliveryApproved Approval(string channel) => TestMessages.Approved("shared-pace", channel);
}

/// <summary>Without Redis the Dispatcher still delivers, each replica keeping the pace on its own.</summary>
public sealed class PaceWithoutRedisTests(ServersFixture fixture)
{
    [Fact]
    public async Task With_Redis_unreachable_cards_still_go_out_at_the_pace_and_the_fallback_is_logged()
    {
        var ct = TestContext.Current.CancellationToken;
        // Nothing listens there: every connection is refused.
        var unreachable = $"127.0.0.1:{FreePort.Next()},connectTimeout=500,asyncTimeout=500";
        await using var system = await RunningContextPush.StartAsync(fixture, "nopace", configure: builder => builder.Service("dispatcher")
            .WithEnvironment("ConnectionStrings__cache", unreachable)
            .WithEnvironment("Dispatcher__Slack__MessagesPerSecondPerChannel", "4"));
        await using var observer = await MessageObserver.StartAsync(system.ConnectionString("messaging"));
        // A cold Dispatcher's first sends wait together for its first connection to Slack and then go
        // out at once, whatever the pace; a card to another channel first leaves only the pace to measure.
        var warmUp = SharedPaceTests.Approval("C0WARMUP");
        await observer.Publisher.Publish(warmUp, ct);
        await observer.WaitForAsync<Delivered>(d => d.DeltaId == warmUp.DeltaId, SharedContextPush.Patience);
        var cards = Enumerable.Range(0, 8).Select(_ => SharedPaceTests.Approval("C0NOREDIS")).ToList();

        foreach (var approval in cards)
        {
            await observer.Publisher.Publish(approval, ct);
        }

        foreach (var approval in cards)
        {
            await observer.WaitForAsync<Delivered>(d => d.DeltaId == approval.DeltaId, SharedContextPush.Patience);
        }

        var posted = system.Slack.Calls.Where(c => c is { Channel: "C0NOREDIS", Status: 200 }).Select(c => c.At).Order().ToList();
        Assert.Equal(8, posted.Count);
        // Paced, the eight go out over 1.75 s; unpaced, within about 0.1 s. The fake times each post when it
        // takes it, and a test process busy with other tests takes some late and then several at once, so
        // only half the paced span is required (CI measured 1.0 s to 1.4 s under load, 1.75 s alone).
        Assert.True(posted[^1] - posted[0] >= TimeSpan.FromSeconds(7.0 / 4 / 2), $"8 cards went out in {(posted[^1] - posted[0]).TotalMilliseconds:0} ms");
        Assert.Contains(await File.ReadAllLinesAsync(system.LogFile, ct), l => l.Contains("each Dispatcher replica paces on its own", StringComparison.Ordinal));
    }
}
