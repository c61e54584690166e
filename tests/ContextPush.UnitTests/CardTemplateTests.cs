using ContextPush.Contracts;
using ContextPush.Wording;

namespace ContextPush.UnitTests;

public class CardTemplateTests
{
    private static readonly DeltaDetected Delta = new()
    {
        CorrelationId = Guid.NewGuid(),
        DeltaId = Guid.NewGuid(),
        RunId = Guid.NewGuid(),
        PushId = "churn-risk",
        Topic = "churn-risk",
        AccountKey = "42",
        Kind = DeltaKind.Changed,
        Metrics = new Dictionary<string, decimal?> { ["churn_probability"] = 0.85m, ["usage_drop"] = 0.23m },
        PreviousMetrics = new Dictionary<string, decimal?> { ["churn_probability"] = 0.85m, ["usage_drop"] = 0.04m },
        DetectedAt = DateTimeOffset.UnixEpoch,
        Settings = new Dictionary<string, string>(),
    };

    private static readonly SupportTicket[] Tickets =
    [
        new("Export fails <again>", "high", "open", DateTimeOffset.UnixEpoch.AddDays(2)),
        new("Invoice question", "low", "solved", DateTimeOffset.UnixEpoch.AddDays(1)),
    ];

    private static CardFacts Facts(string name = "Acme Corp", AccountOwner? owner = null, IReadOnlyList<string>? missing = null) =>
        new(Delta, name, "https://crm.example/42", owner ?? new AccountOwner("Ann Lee", "ann@example.com", "U1"), Tickets, missing ?? []);

    [Fact]
    public void The_built_in_wording_says_what_changed_who_owns_it_and_the_recent_tickets()
    {
        var card = CardTemplate.Default.Render(Facts(), TextFormat.Text);

        Assert.Equal("Acme Corp: usage drop 0.23 (was 0.04, up)", card.Headline);
        Assert.Equal(
            ["Owner: Ann Lee (ann@example.com)", "Open high-priority tickets: 1", "Recent tickets: Export fails <again> · Invoice question"],
            card.Lines);
    }

    [Fact]
    public void An_unknown_owner_and_missing_sources_are_said_on_the_card()
    {
        var facts = Facts(missing: ["tickets: Zendesk answered HTTP 503 Service Unavailable"]) with { Owner = null };

        var card = CardTemplate.Default.Render(facts, TextFormat.Text);

        Assert.Contains("Owner: unknown", card.Lines);
        Assert.Contains("Not available: tickets: Zendesk answered HTTP 503 Service Unavailable", card.Lines);
    }

    [Fact]
    public void Values_from_data_are_escaped_for_each_format_and_the_templates_own_markup_is_kept()
    {
        var template = CardTemplate.Parse("{{ account.name }}\n*Owner:* {{ account.name }}", "t.liquid");
        var facts = Facts(name: "<Acme & *Sons*>");

        Assert.Equal("<Acme & *Sons*>", template.Render(facts, TextFormat.Text).Headline);
        Assert.Equal("*Owner:* &lt;Acme &amp; *\u200BSons*\u200B&gt;", template.Render(facts, TextFormat.Slack).Lines[0]);
        Assert.Equal("*Owner:* <Acme & \\*Sons\\*>", template.Render(facts, TextFormat.Teams).Lines[0]);
        Assert.Equal("*Owner:* &lt;Acme &amp; *Sons*&gt;", template.Render(facts, TextFormat.Html).Lines[0]);
    }

    [Fact]
    public void A_syntax_error_names_the_file_line_and_column()
    {
        var error = Assert.Throws<CardTemplateException>(() =>
            CardTemplate.Parse("{{ account.name }}\nfine line\n{% if owner %}no end", "churn-risk.liquid"));

        Assert.StartsWith("churn-risk.liquid line 3, column ", error.Message);
        Assert.Contains("endif", error.Message);
    }

    [Fact]
    public void The_demo_push_template_gives_the_headline_analysts_asked_for()
    {
        var source = File.ReadAllText(Path.Combine(RepositoryRoot(), "pushes", "churn-risk.liquid"));
        var template = CardTemplate.Parse(source, "churn-risk.liquid");

        // As the demo push declares them: both metrics are percentages.
        var percent = new MetricFormat("percent");
        var facts = Facts() with { Delta = Delta with { MetricFormats = new Dictionary<string, MetricFormat> { ["usage_drop"] = percent, ["churn_probability"] = percent } } };
        var text = template.Render(facts, TextFormat.Text);
        var slack = template.Render(facts, TextFormat.Slack);

        Assert.Equal("Acme Corp: usage dropped 23.0% (was 4.0%), churn risk 85.0%", text.Headline);
        Assert.Contains("Recent tickets: Export fails <again> (open) · Invoice question (solved)", text.Lines);
        Assert.Contains(":rotating_light: Open high-priority tickets: 1", slack.Lines);
        Assert.Contains("Recent tickets: Export fails &lt;again&gt; (open) · Invoice question (solved)", slack.Lines);
    }

    [Fact]
    public void A_template_that_renders_nothing_is_an_error_naming_the_push()
    {
        var template = CardTemplate.Parse("{% if false %}x{% endif %}", "empty.liquid");

        var error = Assert.Throws<CardTemplateException>(() => template.Render(Facts(), TextFormat.Text));

        Assert.Contains("empty.liquid", error.Message);
        Assert.Contains("churn-risk", error.Message);
    }

    internal static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "ContextPush.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("ContextPush.sln not found above " + AppContext.BaseDirectory);
    }
}
