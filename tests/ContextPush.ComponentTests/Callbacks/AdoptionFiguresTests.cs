using System.Diagnostics.Metrics;
using ContextPush.Callbacks.Actions;
using ContextPush.Callbacks.Adoption;
using ContextPush.Callbacks.Telemetry;
using ContextPush.Contracts;
using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace ContextPush.ComponentTests.Callbacks;

/// <summary>
/// The adoption figures on a recorded history whose answers were worked out by hand: counts, the
/// acted-on rate, and the median and p90 time to first action (PostgreSQL's percentile_cont, linear
/// between the ranked values).
/// </summary>
public sealed class AdoptionFiguresTests(ServersFixture fixture) : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Since = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Week = TimeSpan.FromDays(7);
    private NpgsqlDataSource _state = null!;
    private AdoptionStore _adoption = null!;
    private ActionStore _actions = null!;

    public async ValueTask InitializeAsync()
    {
        var ct = TestContext.Current.CancellationToken;
        _state = NpgsqlDataSource.Create(await fixture.Servers.CreateDatabaseAsync(fixture.NextIsolation("adoption").Prefix, ct));
        await _state.ApplySchemaAsync(ActionStore.Schema, ct);
        await _state.ApplySchemaAsync(AdoptionStore.Schema, ct);
        _adoption = new AdoptionStore(_state);
        _actions = new ActionStore(_state);
    }

    public async ValueTask DisposeAsync() => await _state.DisposeAsync();

    [Fact]
    public async Task Counts_rate_and_time_to_first_action_match_the_history()
    {
        // churn: seven cards since the 1st. c1 reviewed after 60 s; c2 opened after 120 s, reviewed after 600 s;
        // c3 snoozed after 300 s; c4 opened after an hour; c5 reviewed after ten days (past the week: ignored);
        // c6 never (ignored); c7 two days old, never (pending). c0 is older than the period.
        var c1 = await CardAsync("churn", "ada@example.com", Day(10));
        await ActAsync(c1, CardAction.Reviewed, 60);
        var c2 = await CardAsync("churn", "ada@example.com", Day(10));
        await ActAsync(c2, CardAction.Opened, 120);
        await ActAsync(c2, CardAction.Reviewed, 600);
        await ActAsync(await CardAsync("churn", "bob@example.com", Day(11)), CardAction.Snoozed, 300);
        await ActAsync(await CardAsync("churn", "bob@example.com", Day(12)), CardAction.Opened, 3_600);
        await ActAsync(await CardAsync("churn", "bob@example.com", Day(12)), CardAction.Reviewed, 864_000);
        var c6 = (await CardAsync("churn", "bob@example.com", Day(13))).DeltaId;
        await CardAsync("churn", "bob@example.com", Day(28));
        await ActAsync(await CardAsync("churn", "bob@example.com", new DateTimeOffset(2026, 10, 20, 9, 0, 0, TimeSpan.Zero)), CardAction.Reviewed, 30);
        // usage: one card, never acted on.
        await CardAsync("usage", "bob@example.com", Day(3));
        var ct = TestContext.Current.CancellationToken;
        await _adoption.SuppressedAsync(Guid.NewGuid(), "churn", "bob@example.com", "frequency-cap", Day(14), ct);
        await _adoption.SuppressedAsync(Guid.NewGuid(), "churn", "bob@example.com", "frequency-cap", Day(15), ct);
        await _adoption.SuppressedAsync(Guid.NewGuid(), "churn", "ada@example.com", "priority", Day(15), ct);
        await _adoption.SuppressedAsync(Guid.NewGuid(), "churn", "bob@example.com", "priority", new DateTimeOffset(2026, 10, 2, 9, 0, 0, TimeSpan.Zero), ct);
        await _adoption.FailedAsync(Guid.NewGuid(), "churn", "bob@example.com", "slack", permanent: true, Day(16), ct);
        await _adoption.FailedAsync(c6, "churn", "bob@example.com", "slack", permanent: false, Day(13), ct); // delivered later: not failed

        var figures = await _adoption.FiguresAsync(null, null, Since, Week, Now, ct);

        Assert.Equal(["churn", "usage"], figures.Select(f => f.PushId));
        var churn = figures[0];
        Assert.Equal((7L, 2L, 3L, 1L), (churn.Delivered, churn.Opened, churn.Reviewed, churn.Snoozed));
        Assert.Equal((4L, 2L, 1L), (churn.ActedOn, churn.Ignored, churn.Pending));
        Assert.Equal(4.0 / 6, churn.ActedOnRate!.Value, 6);
        // First actions, ranked: 60, 120, 300, 3,600, 864,000 s. Median: the third. p90: at rank 3.6 of 0..4,
        // 3,600 + 0.6 × (864,000 − 3,600) = 519,840 s.
        Assert.Equal(300, churn.MedianSecondsToFirstAction!.Value, 6);
        Assert.Equal(519_840, churn.P90SecondsToFirstAction!.Value, 6);
        Assert.Equal(new Dictionary<string, long> { ["frequency-cap"] = 2, ["priority"] = 1 }, churn.SuppressedBy);
        Assert.Equal(1, churn.Failed);
        var usage = figures[1];
        Assert.Equal((1L, 0L, 1L, 0.0), (usage.Delivered, usage.ActedOn, usage.Ignored, usage.ActedOnRate));
        Assert.Null(usage.MedianSecondsToFirstAction);

        var ada = Assert.Single(await _adoption.FiguresAsync("churn", "ada@example.com", Since, Week, Now, ct));
        Assert.Equal((2L, 2L, 0L, 1.0), (ada.Delivered, ada.ActedOn, ada.Ignored, ada.ActedOnRate));
        Assert.Equal(new Dictionary<string, long> { ["priority"] = 1 }, ada.SuppressedBy);
        Assert.Equal(0, ada.Failed);

        // Week by week (the 9th to the 15th holds c1 to c6; c7's week has only a pending card), and the
        // first actions in buckets: 60, 120 and 300 s under ten minutes, an hour under a day, ten days later.
        var history = (await _adoption.HistoryAsync(null, null, Since, Week, Now, ct)).Single(h => h.PushId == "churn");
        Assert.Equal([(new DateTimeOffset(2026, 11, 9, 0, 0, 0, TimeSpan.Zero), 4L, 2L), (new DateTimeOffset(2026, 11, 23, 0, 0, 0, TimeSpan.Zero), 0L, 0L)],
            history.Weeks);
        Assert.Equal([0L, 3L, 0L, 1L, 0L, 1L], history.TimeToFirstAction);
        var page = AdoptionPage.Render(figures, [history], Since, Week);
        Assert.Contains("<h2>churn</h2>", page);
        Assert.Contains("Acted-on rate: <b>67%</b>", page);

        // The same figures as gauges.
        await using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var gauges = new AdoptionGauges(_adoption, services.GetRequiredService<IMeterFactory>(), new ManualClock(Now), NullLogger<AdoptionGauges>.Instance);
        await gauges.RefreshAsync(ct);
        var rates = new Dictionary<string, double>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Name == "contextpush.adoption.acted_on_rate")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<double>((_, value, tags, _) => rates[(string)tags.ToArray().Single(t => t.Key == "push").Value!] = value);
        listener.Start();
        listener.RecordObservableInstruments();
        Assert.Equal(4.0 / 6, rates["churn"], 6);
        Assert.Equal(0.0, rates["usage"]);
    }

    [Fact]
    public async Task A_push_people_mostly_ignore_is_flagged_once_with_the_threshold_that_keeps_what_they_act_on()
    {
        var ct = TestContext.Current.CancellationToken;
        // noisy: 32 cards decided in the last 14 days, 4 acted on (z 2.9, 3.5, 4.0, -5.1), 28 ignored (20 with
        // |z| from 2.1 to 2.8, 8 from 3.0 to 3.4): 12.5% acted on. Keeping every card acted on means a threshold
        // under 2.9: 2.89, which drops the 20 lower ones.
        foreach (var z in new[] { 2.9, 3.5, 4.0, -5.1 })
        {
            await ActAsync(await CardAsync("noisy", "bob@example.com", Day(18), z), CardAction.Reviewed, 600);
        }

        for (var i = 0; i < 28; i++)
        {
            await CardAsync("noisy", "bob@example.com", Day(17 + i % 5), i < 20 ? 2.1 + i * 0.035 : 3.0 + (i - 20) * 0.05);
        }

        // healthy: half of 30 acted on. scarce: 10 cards, none acted on, too few to judge.
        for (var i = 0; i < 30; i++)
        {
            var card = await CardAsync("healthy", "ada@example.com", Day(18), 2.5);
            if (i % 2 == 0)
            {
                await ActAsync(card, CardAction.Opened, 60);
            }
        }

        for (var i = 0; i < 10; i++)
        {
            await CardAsync("scarce", "ada@example.com", Day(18), 2.5);
        }

        var options = Microsoft.Extensions.Options.Options.Create(new ContextPush.Callbacks.CallbacksOptions());
        var noisy = Assert.Single(await new NoisyPushes(_adoption, options).FindAsync(Now, ct));

        Assert.Equal(("noisy", 4.0 / 32, 32L, 2.89), (noisy.PushId, noisy.ActedOnRate, noisy.Cards, noisy.SuggestedThreshold!.Value));
        Assert.EndsWith("throttle.priority.threshold: 2.89 would have kept all 4 acted on and dropped 20 of 28 ignored", noisy.Explanation);

        // Announced once, however often the watch looks; shown on the page.
        await using var bus = new ServiceCollection().AddMassTransitTestHarness().BuildServiceProvider();
        var harness = bus.GetRequiredService<ITestHarness>();
        await harness.Start();
        var watch = new NoisyPushWatch(new NoisyPushes(_adoption, options), _adoption, harness.Bus, new ManualClock(Now), NullLogger<NoisyPushWatch>.Instance);
        await watch.CheckAsync(ct);
        await watch.CheckAsync(ct);
        var flagged = Assert.Single(harness.Published.Select<NoisyPushFlagged>(ct)).Context.Message;
        Assert.Equal((noisy.PushId, noisy.SuggestedThreshold), (flagged.PushId, flagged.SuggestedThreshold));
        var figures = await _adoption.FiguresAsync(null, null, Now.AddDays(-14), Week, Now, ct);
        Assert.Contains("<p class=\"flag\">Noisy: noisy: 13% of 32 cards acted on", AdoptionPage.Render(figures, [], Now.AddDays(-14), Week, [noisy]));
    }

    [Fact]
    public async Task A_noisy_push_of_changes_also_gets_the_tolerance_that_keeps_what_people_act_on_and_announces_it()
    {
        var ct = TestContext.Current.CancellationToken;
        // loud: 4 changes acted on, churn alone moving 0.20, 0.18, 0.15 (relative 0.40, 0.45, 0.50) and one that usage
        // made; 28 ignored: 20 that churn alone made, moving 0.060 … 0.155 from 0.5 (relative at most 0.31), 8 that both
        // made. Relative 0.39 keeps the three and drops the 20 (absolute 0.14 would drop only 17).
        IReadOnlyList<MetricMove>[] acted =
        [
            Moves(0.50m, 0.70m), Moves(0.40m, 0.58m), Moves(0.30m, 0.45m), Moves(0.50m, 0.51m, 0.3m),
        ];
        foreach (var moves in acted)
        {
            await ActAsync(await CardAsync("loud", "bob@example.com", Day(18), moves: moves), CardAction.Reviewed, 600);
        }

        for (var i = 0; i < 28; i++)
        {
            await CardAsync("loud", "bob@example.com", Day(17), moves: i < 20 ? Moves(0.5m, 0.56m + i * 0.005m) : Moves(0.5m, 0.6m, 0.3m));
        }

        var options = Microsoft.Extensions.Options.Options.Create(new ContextPush.Callbacks.CallbacksOptions());
        var noisy = Assert.Single(await new NoisyPushes(_adoption, options).FindAsync(Now, ct));
        await using var bus = new ServiceCollection().AddMassTransitTestHarness().BuildServiceProvider();
        var harness = bus.GetRequiredService<ITestHarness>();
        await harness.Start();
        await new NoisyPushWatch(new NoisyPushes(_adoption, options), _adoption, harness.Bus, new ManualClock(Now), NullLogger<NoisyPushWatch>.Instance).CheckAsync(ct);
        var flagged = Assert.Single(harness.Published.Select<NoisyPushFlagged>(ct)).Context.Message;

        var expected = new ToleranceSuggestion("churn_probability", "relative_tolerance", 0.39m, 3, 20, 28);
        Assert.Equal(expected, noisy.SuggestedTolerance);
        Assert.Equal(expected, flagged.SuggestedTolerance);
        Assert.EndsWith("or metric churn_probability with relative_tolerance: 0.39 as its only tolerance would have kept all 3 changes acted on " +
            "that it alone made and dropped 20 of 28 ignored changes", noisy.Explanation);
    }

    private static IReadOnlyList<MetricMove> Moves(decimal churnBefore, decimal churnNow, decimal usageNow = 0.1m) =>
    [
        new("churn_probability", churnBefore, churnNow, new MetricTolerance(0.05m, null)),
        new("usage_drop", 0.1m, usageNow, new MetricTolerance(0.05m, null)),
    ];

    private static DateTimeOffset Day(int november) => new(2026, 11, november, 9, 0, 0, TimeSpan.Zero);

    private async Task<CardButtonValue> CardAsync(string push, string owner, DateTimeOffset deliveredAt, double? priorityScore = null,
        IReadOnlyList<MetricMove>? moves = null)
    {
        var card = new CardButtonValue(Guid.NewGuid(), Guid.NewGuid(), push, Guid.NewGuid().ToString("N")[..8], deliveredAt.ToUnixTimeSeconds());
        await _adoption.DeliveredAsync(card.DeltaId, push, card.AccountKey, owner, "slack", deliveredAt, TestContext.Current.CancellationToken, priorityScore, moves);
        return card;
    }

    private async Task ActAsync(CardButtonValue card, CardAction action, int afterSeconds) =>
        await _actions.TryClaimAsync(new RecordedAction(card, action, "U0PERSON", null, "slack", null,
            DateTimeOffset.FromUnixTimeSeconds(card.SentAt!.Value).AddSeconds(afterSeconds), action == CardAction.Snoozed ? 7 : null), TestContext.Current.CancellationToken);
}
