using ContextPush.Callbacks;
using ContextPush.Callbacks.Adoption;
using ContextPush.Contracts;
using ContextPush.Dispatcher.Reports;

namespace ContextPush.UnitTests;

/// <summary>When the weekly adoption card is due, and what it says.</summary>
public sealed class WeeklyReportTests
{
    private static readonly WeeklyReportOptions MondayNine = new() { Day = DayOfWeek.Monday, At = new TimeOnly(9, 0) };

    [Theory]
    [InlineData("2026-11-30T09:00:00Z", "2026-11-30T09:00:00Z")] // Monday at nine: due now
    [InlineData("2026-11-30T08:59:59Z", "2026-11-23T09:00:00Z")] // a second before: last week's
    [InlineData("2026-12-01T01:00:00Z", "2026-11-30T09:00:00Z")] // Tuesday
    [InlineData("2026-12-06T23:00:00Z", "2026-11-30T09:00:00Z")] // Sunday
    public void The_due_time_is_the_latest_monday_nine_at_or_before_now(string now, string due) =>
        Assert.Equal(DateTimeOffset.Parse(due, System.Globalization.CultureInfo.InvariantCulture),
            WeeklyReports.LastDue(DateTimeOffset.Parse(now, System.Globalization.CultureInfo.InvariantCulture), MondayNine));

    [Fact]
    public void A_weeks_report_of_a_push_has_one_id_whoever_publishes_it()
    {
        var due = new DateTimeOffset(2026, 11, 30, 9, 0, 0, TimeSpan.Zero);

        Assert.Equal(WeeklyReports.ReportId("churn-risk", due), WeeklyReports.ReportId("churn-risk", due));
        Assert.NotEqual(WeeklyReports.ReportId("churn-risk", due), WeeklyReports.ReportId("churn-risk", due.AddDays(7)));
        Assert.NotEqual(WeeklyReports.ReportId("churn-risk", due), WeeklyReports.ReportId("usage", due));
    }

    [Fact]
    public void The_card_says_the_figures_the_holds_and_the_flag()
    {
        var report = new AdoptionReportDue
        {
            ReportId = Guid.NewGuid(), CorrelationId = Guid.NewGuid(), PushId = "churn-risk",
            Since = new DateTimeOffset(2026, 11, 16, 9, 0, 0, TimeSpan.Zero), Until = new DateTimeOffset(2026, 11, 30, 9, 0, 0, TimeSpan.Zero),
            Delivered = 40, Opened = 6, Reviewed = 3, Snoozed = 1, ActedOn = 4, Ignored = 30, Pending = 6, ActedOnRate = 4.0 / 34,
            MedianSecondsToFirstAction = 90, P90SecondsToFirstAction = 7_200,
            SuppressedBy = new Dictionary<string, long> { ["reviewed"] = 2, ["frequency-cap"] = 12 }, Failed = 1,
            NoisyFlag = "churn-risk: 12% of 34 cards acted on since 2026-11-16, below 20%",
        };

        Assert.Equal(
        [
            "40 cards since 2026-11-16: 6 opened, 3 reviewed, 1 snoozed.",
            "Acted on within a week: 12% (4 of 34); 6 still within their week.",
            "Time to first action: median 2 min, p90 2 h.",
            "Held back: 12 frequency-cap, 2 reviewed.",
            "Not delivered: 1.",
            "Noisy: churn-risk: 12% of 34 cards acted on since 2026-11-16, below 20%.",
        ], AdoptionReportCard.Lines(report));
        Assert.Equal("Weekly adoption of churn-risk", (string?)AdoptionReportCard.Slack(report)["blocks"]![0]!["text"]!["text"]);
        Assert.Equal(7, AdoptionReportCard.Teams(report)["attachments"]![0]!["content"]!["body"]!.AsArray().Count);
        Assert.Contains("<p>Held back: 12 frequency-cap, 2 reviewed.</p>", AdoptionReportCard.Html(report));
    }
}
