using Aspire.Hosting;
using ContextPush.Contracts;

namespace ContextPush.EndToEndTests.Callbacks;

/// <summary>A running ContextPush whose Callbacks looks every second whether the weekly adoption card is due (it always is: the latest due time has passed).</summary>
public sealed class WeeklyReportContextPush(ServersFixture fixture) : SharedContextPush(fixture)
{
    protected override void Configure(Aspire.Hosting.Testing.IDistributedApplicationTestingBuilder builder) =>
        builder.Service("callbacks")
            .WithEnvironment("Callbacks__Adoption__WeeklyReport__Enabled", "true")
            .WithEnvironment("Callbacks__Adoption__WeeklyReport__CheckInterval", "00:00:01");
}

/// <summary>The weekly adoption card, from Callbacks' figures to the push's Slack channel through the Dispatcher.</summary>
public sealed class WeeklyReportTests(WeeklyReportContextPush shared) : IClassFixture<WeeklyReportContextPush>
{
    [Fact]
    public async Task A_push_that_sent_cards_gets_its_weekly_adoption_card_in_its_channel_once()
    {
        var (_, _, card) = await shared.DeliverCardAsync();

        var report = await shared.Observer.WaitForAsync<AdoptionReportDue>(r => r.PushId == card.PushId, SharedContextPush.Patience);
        var posted = await shared.System.Slack.NextMessageAsync(m => (string?)m["text"] == $"Weekly adoption of {card.PushId}", SharedContextPush.Patience);
        // The same report again (a second Callbacks replica, a restart before it was marked): the Dispatcher's claim keeps it one card.
        await shared.Observer.Publisher.Publish(report with { CorrelationId = Guid.NewGuid() }, TestContext.Current.CancellationToken);
        await shared.System.WaitUntilIdleAsync(SharedContextPush.Patience);

        Assert.Equal("C0FALLBACK", (string?)posted["channel"]);
        Assert.Equal(1, report.Delivered);
        Assert.Equal(1, report.Pending);
        Assert.Contains("1 cards since", (string?)posted["blocks"]![1]!["text"]!["text"]);
        Assert.Single(shared.System.Slack.Messages, m => (string?)m["text"] == $"Weekly adoption of {card.PushId}");
        Assert.Single(shared.Observer.Received<AdoptionReportDue>(r => r.PushId == card.PushId && r.CorrelationId == report.CorrelationId));
        Assert.Equal(1L, await shared.System.ScalarAsync<long>("dispatcherdb",
            "SELECT count(*) FROM deliveries WHERE delta_id = @report AND status = 'delivered' AND account_key = 'adoption-report'", ("report", report.ReportId)));
    }
}
