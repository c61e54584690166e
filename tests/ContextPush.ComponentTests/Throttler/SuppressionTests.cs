using ContextPush.Contracts;
using ContextPush.Throttler;
using ContextPush.Throttler.Throttling;
using Microsoft.Extensions.Options;
using Npgsql;
using StackExchange.Redis;

namespace ContextPush.ComponentTests.Throttler;

/// <summary>People's answers (snooze, reviewed) against the real PostgreSQL and Redis, on a clock the test moves.</summary>
public sealed class SuppressionTests(ServersFixture fixture) : IAsyncLifetime
{
    private readonly ManualClock _clock = new(new DateTimeOffset(2026, 11, 24, 8, 0, 0, TimeSpan.Zero));
    private NpgsqlDataSource _state = null!;
    private ConnectionMultiplexer _redis = null!;
    private Suppressions _suppressions = null!;
    private DeliveryThrottle _throttle = null!;
    private string _push = null!;

    public async ValueTask InitializeAsync()
    {
        var (prefix, _) = fixture.NextIsolation("suppress");
        _push = prefix;
        _state = NpgsqlDataSource.Create(await fixture.Servers.CreateDatabaseAsync(prefix, TestContext.Current.CancellationToken));
        _redis = await ConnectionMultiplexer.ConnectAsync(fixture.Servers.Cache);
        _suppressions = new Suppressions(_state);
        var sent = new SentCards(_state);
        await ExecuteAsync(Suppressions.Schema + SentCards.Schema);
        _throttle = new DeliveryThrottle(new FrequencyCap(_redis, _clock), sent, _suppressions, new PriorityRule(),
            new OwnerBudget(_redis), new HeldForDigest(_state), Options.Create(new ThrottlerOptions()), _clock);
    }

    public async ValueTask DisposeAsync()
    {
        await _redis.DisposeAsync();
        await _state.DisposeAsync();
    }

    [Fact]
    public async Task A_snooze_holds_the_account_until_it_expires()
    {
        await _suppressions.SnoozeAsync(_push, "1", "U0ADA", _clock.GetUtcNow(), _clock.GetUtcNow().AddDays(7), TestContext.Current.CancellationToken);

        var held = await DecideAsync("1", 0.95m);
        _clock.Advance(TimeSpan.FromDays(7).Add(TimeSpan.FromMinutes(1)));
        var after = await DecideAsync("1", 0.95m);

        Assert.Equal(("snoozed", false), (held.Reason, held.Approved));
        Assert.Equal("2026-12-01 08:00:00Z", held.Numbers["snoozed_until"]);
        Assert.Equal(("approved", true), (after.Reason, after.Approved));
    }

    [Fact]
    public async Task A_reviewed_account_stays_quiet_until_a_value_moves_beyond_tolerance_from_what_was_reviewed()
    {
        await _suppressions.ReviewAsync(_push, "2", "U0ADA", _clock.GetUtcNow(),
            new Dictionary<string, decimal?> { ["churn_probability"] = 0.90m }, TestContext.Current.CancellationToken);

        var within = await DecideAsync("2", 0.94m);
        var beyond = await DecideAsync("2", 0.96m);

        Assert.Equal(("reviewed", false), (within.Reason, within.Approved));
        Assert.Contains("reviewed by U0ADA", within.Detail);
        Assert.Equal(("approved", true), (beyond.Reason, beyond.Approved));
        Assert.Null((await _suppressions.FindAsync(_push, "2", TestContext.Current.CancellationToken)).Reviewed); // a new card starts afresh
    }

    [Fact]
    public async Task Answers_survive_a_restart_because_they_live_in_PostgreSQL()
    {
        await _suppressions.SnoozeAsync(_push, "3", "U0ADA", _clock.GetUtcNow(), _clock.GetUtcNow().AddDays(3), TestContext.Current.CancellationToken);

        var restarted = new Suppressions(_state);

        Assert.NotNull((await restarted.FindAsync(_push, "3", TestContext.Current.CancellationToken)).Snoozed);
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var command = _state.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }

    private Task<Decision> DecideAsync(string account, decimal churn)
    {
        var delta = TestMessages.Delta(_push, account, churn, DeltaKind.Changed, new Dictionary<string, string> { ["throttle:priority:mode"] = "off" }) with
        {
            DetectedAt = _clock.GetUtcNow(),
            Tolerances = new Dictionary<string, MetricTolerance> { ["churn_probability"] = new(0.05m, null) },
        };
        return _throttle.DecideAsync(TestMessages.Assembled(delta), TestContext.Current.CancellationToken);
    }
}
