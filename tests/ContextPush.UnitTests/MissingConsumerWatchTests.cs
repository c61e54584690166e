using ContextPush.ServiceDefaults.Messaging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ContextPush.UnitTests;

/// <summary>
/// When a work queue counts as deaf: no consumer on the broker, or messages ready that this process, with room for
/// more, does not receive, for longer than the grace.
/// </summary>
public class MissingConsumerWatchTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 2, 10, 0, 0, TimeSpan.Zero);

    // The bus is never touched by Observe, which only decides.
    private static MissingConsumerWatch Watch() => new(null!, NullLogger<MissingConsumerWatch>.Instance) { Grace = TimeSpan.FromSeconds(60) };

    private static Dictionary<string, QueueSample> Counts(long approved, long actioned) => new()
    {
        ["dispatcher-delivery-approved"] = new(approved, 0, default),
        ["dispatcher-card-actioned"] = new(actioned, 0, default),
    };

    private static Dictionary<string, QueueSample> Approved(long ready, long received, int inFlight, int mostInFlight) => new()
    {
        ["dispatcher-delivery-approved"] = new(1, ready, new QueueActivity(received, inFlight, mostInFlight)),
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

    [Fact]
    public void A_listed_consumer_that_receives_nothing_while_messages_wait_and_it_has_room_is_deaf()
    {
        var watch = Watch();

        for (var s = 0; s < 60; s += 10)
        {
            Assert.Empty(watch.Observe(Approved(ready: 500, received: 1_200, inFlight: 2, mostInFlight: 16), Start.AddSeconds(s)));
        }

        Assert.Equal(["dispatcher-delivery-approved"], watch.Observe(Approved(ready: 500, received: 1_200, inFlight: 2, mostInFlight: 16), Start.AddSeconds(60)));
    }

    [Fact]
    public void A_consumer_that_keeps_receiving_or_has_nothing_waiting_is_not_deaf()
    {
        var watch = Watch();

        for (var s = 0; s <= 300; s += 10)
        {
            Assert.Empty(watch.Observe(Approved(ready: 500, received: 1_000 + s, inFlight: 16, mostInFlight: 16), Start.AddSeconds(s)));
        }

        for (var s = 310; s <= 600; s += 10)
        {
            Assert.Empty(watch.Observe(Approved(ready: 0, received: 1_300, inFlight: 0, mostInFlight: 16), Start.AddSeconds(s)));
        }
    }

    [Fact]
    public void A_consumer_whose_every_slot_is_busy_is_not_deaf_however_long_the_work_takes()
    {
        // A Redis outage: every delivery in flight waits for the server, so nothing new arrives, and rightly.
        var watch = Watch();

        for (var s = 0; s <= 600; s += 10)
        {
            Assert.Empty(watch.Observe(Approved(ready: 500, received: 1_200, inFlight: 16, mostInFlight: 16), Start.AddSeconds(s)));
        }
    }

    [Fact]
    public void A_deaf_queue_that_hears_again_within_the_grace_starts_the_count_again()
    {
        var watch = Watch();

        watch.Observe(Approved(ready: 500, received: 1_200, inFlight: 0, mostInFlight: 16), Start);
        watch.Observe(Approved(ready: 500, received: 1_200, inFlight: 0, mostInFlight: 16), Start.AddSeconds(30));
        watch.Observe(Approved(ready: 500, received: 1_201, inFlight: 0, mostInFlight: 16), Start.AddSeconds(40));
        watch.Observe(Approved(ready: 500, received: 1_201, inFlight: 0, mostInFlight: 16), Start.AddSeconds(50));

        Assert.Empty(watch.Observe(Approved(ready: 500, received: 1_201, inFlight: 0, mostInFlight: 16), Start.AddSeconds(100)));
        Assert.Equal(["dispatcher-delivery-approved"], watch.Observe(Approved(ready: 500, received: 1_201, inFlight: 0, mostInFlight: 16), Start.AddSeconds(110)));
    }

    [Fact]
    public void Publishes_unconfirmed_since_longer_than_the_grace_are_named_and_a_confirm_clears_them()
    {
        var watch = Watch();

        Assert.Empty(watch.Observe(Approved(ready: 0, received: 10, inFlight: 0, mostInFlight: 16), Start.AddSeconds(50), unconfirmedSince: Start));
        Assert.Equal([MissingConsumerWatch.Publishing], watch.Observe(Approved(ready: 0, received: 10, inFlight: 0, mostInFlight: 16), Start.AddSeconds(60),
            unconfirmedSince: Start));
        Assert.Empty(watch.Observe(Approved(ready: 0, received: 10, inFlight: 0, mostInFlight: 16), Start.AddSeconds(70)));
        Assert.Empty(watch.Observe(Approved(ready: 0, received: 10, inFlight: 0, mostInFlight: 16), Start.AddSeconds(120), unconfirmedSince: Start.AddSeconds(80)));
    }
}
