using ContextPush.Contracts;
using ContextPush.Dispatcher.Email;
using ContextPush.Dispatcher.Slack;
using ContextPush.Dispatcher.Teams;
using ContextPush.Wording;
using MimeKit;

namespace ContextPush.UnitTests;

/// <summary>A metric's declared format reads the same in every channel and in templates.</summary>
public class MetricFormatChannelTests
{
    private static readonly Uri Review = new("https://callbacks.example/actions/review");
    private static readonly Uri Snooze = new("https://callbacks.example/actions/snooze");

    private static DeliveryApproved Approved()
    {
        var delta = ContractSerializationTests.Delta() with
        {
            MetricFormats = new Dictionary<string, MetricFormat> { ["churn_probability"] = new("percent") },
        };
        return new DeliveryApproved
        {
            CorrelationId = delta.CorrelationId,
            DeltaId = delta.DeltaId,
            Delta = delta,
            Context = ContractSerializationTests.Context(),
            ApprovedAt = DateTimeOffset.UnixEpoch,
        };
    }

    [Fact]
    public void Slack_fields_say_the_percentage_and_where_it_came_from()
    {
        var card = SlackCard.Build(Approved(), "C024BE91L", DateTimeOffset.UnixEpoch);

        Assert.Equal("*Churn Probability*\n85.1% (was 61.0%, up)", (string?)card["blocks"]![1]!["fields"]![0]!["text"]);
    }

    [Fact]
    public void Teams_facts_say_the_same()
    {
        var card = TeamsCard.Build(Approved(), Review, Snooze);

        Assert.Contains("85.1% (was 61.0%, up)", card.ToJsonString());
        Assert.DoesNotContain("0.8512", card.ToJsonString());
    }

    [Fact]
    public void Email_rows_say_the_same()
    {
        var mail = EmailCard.Build(Approved(), new MailboxAddress("ContextPush", "cp@example.com"), new MailboxAddress("Ann", "ann@example.com"), Review, Snooze);

        Assert.Contains("85.1% (was 61.0%, up)", mail.HtmlBody);
        Assert.Contains("85.1% (was 61.0%, up)", mail.TextBody);
    }

    [Fact]
    public void Templates_say_the_same_through_the_metric_format_filter_and_the_summary()
    {
        var facts = new CardFacts(Approved().Delta, "Acme", null, null, [], []);
        var template = CardTemplate.Parse(
            "{% assign c = metrics | where: \"name\", \"churn_probability\" | first %}churn risk {{ c.value | metric_format: c.format, c.decimals }}\n{{ summary }}",
            "t.liquid");

        var card = template.Render(facts, TextFormat.Text);

        Assert.Equal("churn risk 85.1%", card.Headline);
        Assert.Contains("churn probability 85.1% (was 61.0%, up)", card.Lines[0]);
    }
}
