using ContextPush.Throttler.Throttling;
using StackExchange.Redis;

namespace ContextPush.ComponentTests.Throttler;

/// <summary>The frequency cap on the real Redis.</summary>
public sealed class FrequencyCapTests(ServersFixture fixture) : IAsyncLifetime
{
    private static readonly TimeSpan Week = TimeSpan.FromDays(7);
    private readonly ManualClock _clock = new(new DateTimeOffset(2026, 11, 24, 8, 0, 0, TimeSpan.Zero));
    private readonly List<ConnectionMultiplexer> _connections = [];
    private string _topic = null!;

    public async ValueTask InitializeAsync()
    {
        _topic = fixture.NextIsolation("cap").Prefix;
        for (var i = 0; i < 2; i++)
        {
            // Two connections: two Throttler replicas.
            _connections.Add(await ConnectionMultiplexer.ConnectAsync(fixture.Servers.Cache));
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var connection in _connections)
        {
            await connection.DisposeAsync();
        }
    }

    private FrequencyCap Cap(int replica = 0) => new(_connections[replica], _clock);

    [Fact]
    public async Task Inside_the_window_a_second_delta_is_held_until_the_window_ends_and_after_it_goes()
    {
        Assert.Null(await Cap().TryClaimAsync(_topic, "42", Guid.NewGuid(), Week));

        _clock.Advance(TimeSpan.FromDays(6));
        var held = await Cap().TryClaimAsync(_topic, "42", Guid.NewGuid(), Week);

        _clock.Advance(TimeSpan.FromDays(1));
        var after = await Cap().TryClaimAsync(_topic, "42", Guid.NewGuid(), Week);

        Assert.Equal(TimeSpan.FromDays(1), held);
        Assert.Null(after);
        Assert.Equal(Week, await Cap().TryClaimAsync(_topic, "42", Guid.NewGuid(), Week)); // the window restarted at the last approval
    }

    [Fact]
    public async Task The_same_delta_redelivered_finds_its_own_claim_and_stays_approved()
    {
        var delta = Guid.NewGuid();
        Assert.Null(await Cap().TryClaimAsync(_topic, "7", delta, Week));

        _clock.Advance(TimeSpan.FromHours(1));

        Assert.Null(await Cap(replica: 1).TryClaimAsync(_topic, "7", delta, Week));
    }

    [Fact]
    public async Task Two_replicas_racing_100_times_on_one_key_approve_exactly_once_each_time()
    {
        for (var round = 0; round < 100; round++)
        {
            var account = $"race-{round}";
            var results = await Task.WhenAll(
                Cap(0).TryClaimAsync(_topic, account, Guid.NewGuid(), Week),
                Cap(1).TryClaimAsync(_topic, account, Guid.NewGuid(), Week));

            Assert.Single(results, r => r is null);
        }
    }

    [Fact]
    public async Task Accounts_and_topics_are_capped_separately()
    {
        Assert.Null(await Cap().TryClaimAsync(_topic, "1", Guid.NewGuid(), Week));
        Assert.Null(await Cap().TryClaimAsync(_topic, "2", Guid.NewGuid(), Week));
        Assert.Null(await Cap().TryClaimAsync(_topic + "-other", "1", Guid.NewGuid(), Week));
    }
}
