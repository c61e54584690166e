using ContextPush.ServiceDefaults.Messaging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ContextPush.UnitTests;

/// <summary>When a work queue counts as deaf: no consumer on the broker for longer than the grace.</summary>
public class MissingConsumerWatchTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 2, 10, 0, 0, TimeSpan.Zero);

    // The bus is never touched by Observe, which only decides.
    private static MissingConsumerWatch Watch() => new(null!, NullLogger<MissingConsumerWatch>.Instance) { Grace = TimeSpan.FromSeconds(60) };

    private static Dictionary<string, long> Counts(long approved, long actioned) => new()
    {
        ["dispatcher-delivery-approved"] = approved,
        ["dispatcher-card-actioned"] = actioned,
    };

    [Fact]
    public void A_queue_without_a_consumer_is_named_once_the_grace_has_passed_and_not_before()
    {
        var watch = Watch();

        Assert.Empty(watch.Observe(Counts(0, 1), Start));
        Assert.Empty(watch.Observe(Counts(0, 1), Start.AddSeconds(59)));
        Assert.Equal(["dispatcher-delivery-approved"], watch.Observe(Counts(0, 1), Start.AddSeconds(60)));
    }

    [Fact]
    public void A_consumer_that_comes_back_within_the_grace_starts_the_count_again()
    {
        var watch = Watch();

        watch.Observe(Counts(0, 1), Start);
        watch.Observe(Counts(2, 1), Start.AddSeconds(30));
        watch.Observe(Counts(0, 1), Start.AddSeconds(40));

        Assert.Empty(watch.Observe(Counts(0, 1), Start.AddSeconds(90)));
        Assert.Equal(["dispatcher-delivery-approved"], watch.Observe(Counts(0, 1), Start.AddSeconds(100)));
    }

    [Fact]
    public void Queues_with_consumers_are_never_named()
    {
        var watch = Watch();

        for (var s = 0; s <= 600; s += 10)
        {
            Assert.Empty(watch.Observe(Counts(1, 3), Start.AddSeconds(s)));
        }
    }
}
