using ContextPush.Detector;
using ContextPush.Detector.Pushes;
using Microsoft.Extensions.Options;

namespace ContextPush.ComponentTests.Detector;

/// <summary>"Why didn't I get this alert?", the Detector's part: the cohort now against what was last notified.</summary>
public sealed class AccountStoryTests(ServersFixture fixture) : IAsyncLifetime
{
    private DetectorTestBed _bed = null!;

    public async ValueTask InitializeAsync()
    {
        _bed = await DetectorTestBed.StartAsync(fixture);
        // The baseline notes Acme (churn 0.90) and Globex (usage 0.30); Initech is not in the cohort.
        Assert.Equal("succeeded", (await _bed.RunAsync()).Status);
        await _bed.ExecuteAsync("UPDATE accounts SET churn_probability = 0.93 WHERE id = 1");
        Assert.Equal(0, (await _bed.RunAsync()).DeltasEmitted); // within tolerance: Acme stays as noted
        await _bed.ExecuteAsync("UPDATE accounts SET usage_drop = 0.40 WHERE id = 2");
    }

    public ValueTask DisposeAsync() => _bed.DisposeAsync();

    private AccountStories Stories => new(_bed.Sources, _bed.State, _bed.Runs, Options.Create(new DetectorOptions()), TimeProvider.System);

    private Task<AccountStory> TellAsync(string account) =>
        Stories
            .TellAsync(DetectorTestBed.Load(DetectorTestBed.Push), account, TestContext.Current.CancellationToken);

    [Fact]
    public async Task A_move_within_tolerance_is_explained_with_its_numbers()
    {
        var story = await TellAsync("1");

        Assert.True(story.InCohortNow);
        Assert.NotNull(story.NotifiedAt);
        var churn = story.Metrics.Single(m => m.Metric == "churn_probability");
        Assert.Equal((0.93m, 0.90m, false), (churn.Now, churn.Notified, churn.Moved));
        Assert.Equal("0.93, notified 0.9: moved 0.03, within tolerance (0.05), so no delta", churn.Verdict);
        Assert.Equal("in the cohort and within tolerance of what was last notified: no delta", story.Verdict);
        var today = Assert.Single(story.Days);
        Assert.True(today.InCohort);
        // The baseline noted it, and a later run that found it within tolerance left it so.
        Assert.Equal([true, true], story.Runs.Select(r => r.InCohort));
        Assert.Equal(0.90m, today.Metrics!["churn_probability"]);
    }

    [Fact]
    public async Task A_move_beyond_tolerance_says_the_next_run_sends_it()
    {
        var story = await TellAsync("2");

        Assert.Equal(true, story.Metrics.Single(m => m.Metric == "usage_drop").Moved);
        Assert.Equal(false, story.Metrics.Single(m => m.Metric == "churn_probability").Moved);
        Assert.Equal("moved beyond tolerance on usage_drop: the next run sends a change", story.Verdict);
    }

    [Fact]
    public async Task An_account_outside_the_cohort_is_said_to_be_so_and_its_days_show_it_absent()
    {
        var story = await TellAsync("3");

        Assert.False(story.InCohortNow);
        Assert.Null(story.NotifiedAt);
        Assert.Equal("not in the cohort now, and not tracked: no delta", story.Verdict);
        Assert.All(story.Metrics, m => Assert.Equal("not in the cohort now", m.Verdict));
        Assert.False(Assert.Single(story.Days).InCohort);
        Assert.All(story.Runs, r => Assert.Null(r.InCohort));
    }

    [Fact]
    public async Task A_cohort_query_that_fails_now_is_reported_not_thrown()
    {
        var story = await Stories.TellAsync(
            DetectorTestBed.Load(DetectorTestBed.Push.Replace("FROM accounts", "FROM accounts_gone")), "1", TestContext.Current.CancellationToken);

        Assert.Null(story.InCohortNow);
        Assert.Contains("accounts_gone", story.LiveError);
        Assert.StartsWith("unknown now: the cohort query failed", story.Verdict);
        Assert.Equal(0.90m, story.Metrics.Single(m => m.Metric == "churn_probability").Notified);
    }
}
