using ContextPush.Callbacks;
using ContextPush.Callbacks.Actions;
using ContextPush.Callbacks.Explain;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Npgsql;
using Refit;

namespace ContextPush.UnitTests;

/// <summary>GET /explain when the services it asks cannot answer, and how its sentences read.</summary>
public sealed class ExplainTests
{
    [Fact]
    public async Task A_service_that_cannot_be_reached_is_named_with_its_error_and_the_rest_is_still_told()
    {
        // Port 1 on loopback refuses at once; the Dispatcher's address is not configured at all.
        var refused = new Uri("http://127.0.0.1:1");
        var options = Options.Create(new CallbacksOptions { Explain = { Detector = refused, Throttler = refused } });
        await using var state = NpgsqlDataSource.Create("Host=127.0.0.1;Port=1");
        var explainer = new AccountExplainer(RestService.For<IDetectorStoryApi>(refused.ToString()), RestService.For<IThrottlerDecisionsApi>(refused.ToString()),
            RestService.For<IDispatcherDeliveriesApi>(refused.ToString()), new ActionStore(state), options, new ConfigurationBuilder().Build());

        var explained = await explainer.ExplainAsync("churn-risk", "42", TestContext.Current.CancellationToken);

        Assert.Equal(["detector", "dispatcher", "throttler"], explained.Unavailable.Keys.Order());
        Assert.Contains("refused", explained.Unavailable["detector"], StringComparison.OrdinalIgnoreCase);
        Assert.Equal("its address is not configured: set Callbacks:Explain:Dispatcher", explained.Unavailable["dispatcher"]);
        Assert.Null(explained.Detector);
        Assert.Empty(explained.Deltas);
        Assert.Equal(3, explained.Story.Count);
        Assert.All(explained.Story, line => Assert.Matches("^The (detector|dispatcher|throttler) could not be asked", line));
    }

    private static DetectorRun Run(bool? inCohort) => new(Guid.NewGuid(), DateTimeOffset.UnixEpoch, "succeeded", 10, 0, inCohort);

    [Fact]
    public void Each_delta_is_told_with_its_decision_numbers_delivery_and_actions()
    {
        var at = new DateTimeOffset(2026, 11, 30, 9, 15, 0, TimeSpan.Zero);
        var approved = Guid.Parse("0a1b2c3d-0000-0000-0000-000000000001");
        var capped = Guid.Parse("9f8e7d6c-0000-0000-0000-000000000002");
        ExplainedDelta[] deltas =
        [
            new(capped, new ThrottlerDecision(capped, false, "frequency-cap", "frequency cap until 2026-12-05 09:15 (once every 7 days)", at.AddDays(2), null,
                new() { ["window_days"] = "7", ["cap_until"] = "2026-12-05 09:15" }), null, []),
            new(approved, new ThrottlerDecision(approved, true, "approved", "first card", at, null, null),
                new DispatcherDelivery(approved, "delivered", "slack", "C0CS", null, at.AddSeconds(2), null, null),
                [new ActionListing(approved, "churn-risk", "42", "Snoozed", "U1", "ada", "slack", at.AddMinutes(30), 7, TimeSpan.FromMinutes(30))]),
        ];
        var story = new DetectorStory(true, null, at, [new DetectorMetric("churn", 0.93m, 0.9m, 0.05m, null, false, "0.93, notified 0.9: moved 0.03, within tolerance (0.05), so no delta")],
            "in the cohort and within tolerance of what was last notified: no delta",
            [new DetectorDay(new DateOnly(2026, 12, 1), true, null), new DetectorDay(new DateOnly(2026, 11, 30), false, null)])
        {
            Runs = [Run(true), Run(true), Run(true), Run(null)],
        };

        var lines = StoryTeller.Tell(story, deltas, new Dictionary<string, string>());

        Assert.Equal(
        [
            "Now: in the cohort and within tolerance of what was last notified: no delta.",
            "churn: 0.93, notified 0.9: moved 0.03, within tolerance (0.05), so no delta.",
            "Last notified at 2026-11-30 09:15 UTC; in the cohort and within tolerance of those values in each of the 2 runs since.",
            "In the cohort on 1 of the 2 days observed since 2026-11-30 (last on 2026-12-01).",
            "2026-12-02 09:15 UTC, delta 9f8e7d6c: suppressed (frequency-cap): frequency cap until 2026-12-05 09:15 (once every 7 days) [cap_until 2026-12-05 09:15, window_days 7].",
            "2026-11-30 09:15 UTC, delta 0a1b2c3d: approved, delivered by slack to C0CS at 2026-11-30 09:15; snoozed 7 days by ada (U1) after 30 min.",
        ], lines);
    }
}
