using ContextPush.Contracts;
using ContextPush.PushFiles;

namespace ContextPush.UnitTests;

/// <summary>Every section of a push file is typed and checked at load; a bad value names its field and fix and skips that push.</summary>
public sealed class PushSettingsTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("pushes-").FullName;

    private const string Push = """
        id: churn-risk
        cohort: SELECT id AS account_id, churn_probability FROM accounts
        key: [account_id]
        metrics: [{name: churn_probability}]
        schedule: "0 8 * * *"

        """;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private (PushDefinition? Push, PushLoadError? Error) Load(string sections)
    {
        var file = Path.Combine(folder, "churn-risk.yaml");
        var yaml = Push + sections;
        File.WriteAllText(file, yaml);
        return PushLoader.Load(file, yaml);
    }

    [Fact]
    public void Every_section_is_read_into_typed_settings_that_travel_with_each_delta()
    {
        var (push, error) = Load("""
            context:
              owner: hubspot
              tickets: zendesk
              ticket_count: 5
              slack_lookup: false
            throttle:
              frequency: 3d
              priority:
                mode: peers
                threshold: 2.5
                direction: up
                window: 30d
                min_observations: 10
                short_history: hold
                metric: churn_probability
              owner_budget: 4
              digest_at: "16:30"
              digest_time_zone: Europe/Berlin
            delivery:
              channel: slack
              slack:
                channel: "#cs-alerts"
                fallback_channel: C0FALLBACK
              crm:
                system: salesforce
                due_in_days: 2
                priority: high
                fields:
                  churn_probability: Churn_Risk__c
            """);

        Assert.Null(error);
        var settings = push!.TypedSettings;
        Assert.Equal(("hubspot", "zendesk", 5, false), (settings.Context.Owner, settings.Context.Tickets, settings.Context.TicketCount, settings.Context.SlackLookup));
        Assert.Equal(TimeSpan.FromDays(3), settings.Throttle.Frequency);
        Assert.Equal(new PrioritySettings
        {
            Mode = "peers", Threshold = 2.5, Direction = "up", Window = TimeSpan.FromDays(30), MinObservations = 10, HoldShortHistory = true, Metric = "churn_probability",
        }, settings.Throttle.Priority);
        Assert.Equal((4, new TimeOnly(16, 30), "Europe/Berlin"), (settings.Throttle.OwnerBudget, settings.Throttle.DigestAt, settings.Throttle.DigestTimeZone));
        Assert.Equal(new DeliverySettings
        {
            Channel = "slack", SlackChannel = "#cs-alerts", SlackFallbackChannel = "C0FALLBACK",
            CrmTask = new CrmTaskSettings
            {
                System = "salesforce", DueInDays = 2, Priority = "High", Fields = new Dictionary<string, string> { ["churn_probability"] = "Churn_Risk__c" },
            },
        }, settings.Delivery);
    }

    [Fact]
    public void A_push_without_sections_gets_the_documented_defaults()
    {
        var (push, error) = Load("");

        Assert.Null(error);
        Assert.Equal(new PushSettings(), push!.TypedSettings);
        Assert.Equal("history", push.TypedSettings.Throttle.Priority.Mode);
        Assert.Null(push.TypedSettings.Throttle.Frequency); // the Throttler's configured default applies
    }

    [Fact]
    public void A_template_next_to_the_push_is_checked_and_carried_in_the_settings()
    {
        File.WriteAllText(Path.Combine(folder, "card.liquid"), "{{ account.name }}: {{ summary }}");

        var (push, error) = Load("context:\n  template: card.liquid");

        Assert.Null(error);
        Assert.Equal("{{ account.name }}: {{ summary }}", push!.TypedSettings.Context.TemplateSource);
        Assert.Equal("card.liquid", push.TypedSettings.Context.Template);
    }

    [Fact]
    public void A_broken_template_is_reported_at_load_with_its_file_and_line()
    {
        File.WriteAllText(Path.Combine(folder, "card.liquid"), "{{ account.name }}\n{% for t in %}{% endfor %}");

        var (push, error) = Load("context:\n  template: card.liquid");

        Assert.Null(push);
        Assert.Equal("context.template", error!.Field);
        Assert.StartsWith("card.liquid line 2, column ", error.Message);
    }

    [Theory]
    [InlineData("context:\n  template: nowhere.liquid", "context.template", "not found")]
    [InlineData("context:\n  owner: pipedrive", "context.owner", "hubspot or salesforce")]
    [InlineData("context:\n  tickets: jira", "context.tickets", "zendesk or none")]
    [InlineData("context:\n  ticket_count: 50", "context.ticket_count", "0 to 20")]
    [InlineData("context:\n  salesforce_match_field: \"x' OR 1=1\"", "context.salesforce_match_field", "not a Salesforce field")]
    [InlineData("context:\n  ownr: hubspot", "context.ownr", "allowed in context: owner")]
    [InlineData("context:\n  template_source: \"{{ x }}\"", "context.template_source", "unknown field")]
    [InlineData("throttle:\n  frequency: 7x", "throttle.frequency", "write e.g. 7d")]
    [InlineData("throttle:\n  owner_budget: five", "throttle.owner_budget", "whole number from 1")]
    [InlineData("throttle:\n  digest_at: 5pm", "throttle.digest_at", "HH:mm")]
    [InlineData("throttle:\n  digest_time_zone: Mars/Olympus", "throttle.digest_time_zone", "IANA name")]
    [InlineData("throttle:\n  priority:\n    mode: loud", "throttle.priority.mode", "history (the default), peers or off")]
    [InlineData("throttle:\n  priority:\n    threshold: high", "throttle.priority.threshold", "above zero")]
    [InlineData("throttle:\n  priority:\n    window: forever", "throttle.priority.window", "not a duration")]
    [InlineData("throttle:\n  priority:\n    metric: usage_drop", "throttle.priority.metric", "one of churn_probability")]
    [InlineData("throttle:\n  frequncy: 7d", "throttle.frequncy", "allowed in throttle: frequency")]
    [InlineData("delivery:\n  channel: pager", "delivery.channel", "slack, teams, email or console")]
    [InlineData("delivery:\n  channel: teams", "delivery.teams.webhook", "required when delivery.channel is teams")]
    [InlineData("delivery:\n  teams:\n    webhook: https://example.webhook.office.com/x", "delivery.teams.webhook", "not the URL itself")]
    [InlineData("delivery:\n  email:\n    to: nobody", "delivery.email.to", "email address")]
    [InlineData("delivery:\n  slack:\n    channel: cs alerts", "delivery.slack.channel", "Slack channel")]
    [InlineData("delivery:\n  crm:\n    system: pipedrive", "delivery.crm.system", "is not a CRM to write tasks into; use salesforce or hubspot")]
    [InlineData("delivery:\n  crm:\n    priority: high", "delivery.crm.system", "required with delivery.crm")]
    [InlineData("delivery:\n  crm:\n    system: salesforce\n    due_in_days: soon", "delivery.crm.due_in_days", "whole number from 0 to 365")]
    [InlineData("delivery:\n  crm:\n    system: salesforce\n    priority: urgent", "delivery.crm.priority", "high, normal or low")]
    [InlineData("delivery:\n  crm:\n    system: salesforce\n    fields:\n      churn_probability: Churn Risk", "delivery.crm.fields.churn_probability", "is not a CRM field name")]
    [InlineData("delivery:\n  crm:\n    system: hubspot\n    fields:\n      revenue: revenue", "delivery.crm.fields.revenue", "not one of this push's metrics")]
    public void A_wrong_setting_names_the_field_and_the_fix_and_the_push_does_not_load(string sections, string field, string hint)
    {
        var (push, error) = Load(sections);

        Assert.Null(push);
        Assert.Equal(field, error!.Field);
        Assert.Contains(hint, error.Message);
    }

    [Fact]
    public void A_delta_from_a_Detector_older_than_typed_settings_is_read_from_its_flattened_sections()
    {
        var legacy = new DeltaDetected
        {
            CorrelationId = Guid.NewGuid(), DeltaId = Guid.NewGuid(), RunId = Guid.NewGuid(), PushId = "old", Topic = "old", AccountKey = "1",
            Kind = DeltaKind.Entered, Metrics = new Dictionary<string, decimal?>(), PreviousMetrics = new Dictionary<string, decimal?>(),
            DetectedAt = DateTimeOffset.UnixEpoch,
            Settings = new Dictionary<string, string> { ["throttle:frequency"] = "2d", ["delivery:slack:channel"] = "#old" },
        };

        var settings = PushSettingsReader.Of(legacy);

        Assert.Equal(TimeSpan.FromDays(2), settings.Throttle.Frequency);
        Assert.Equal("#old", settings.Delivery.SlackChannel);
        var broken = legacy with { Settings = new Dictionary<string, string> { ["throttle:owner_budget"] = "many" } };
        Assert.Equal("push old: throttle.owner_budget: 'many' is not a whole number from 1 to 1000",
            Assert.Throws<FormatException>(() => PushSettingsReader.Of(broken)).Message);
    }
}
