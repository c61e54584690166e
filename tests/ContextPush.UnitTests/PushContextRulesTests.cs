using ContextPush.Detector.Pushes;

namespace ContextPush.UnitTests;

public sealed class PushContextRulesTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("pushes-").FullName;

    private const string Push = """
        id: churn-risk
        cohort: SELECT id AS account_id, churn_probability FROM accounts
        key: [account_id]
        metrics: [{name: churn_probability}]
        schedule: "0 8 * * *"
        context:

        """;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private (Detector.Pushes.PushDefinition? Push, PushLoadError? Error) Load(string context)
    {
        var file = Path.Combine(folder, "churn-risk.yaml");
        var yaml = Push + string.Join('\n', context.Split('\n').Select(l => "  " + l));
        File.WriteAllText(file, yaml);
        return PushLoader.Load(file, yaml);
    }

    [Fact]
    public void A_template_next_to_the_push_is_checked_and_carried_in_the_settings()
    {
        File.WriteAllText(Path.Combine(folder, "card.liquid"), "{{ account.name }}: {{ summary }}");

        var (push, error) = Load("owner: hubspot\ntickets: zendesk\ntemplate: card.liquid");

        Assert.Null(error);
        Assert.Equal("{{ account.name }}: {{ summary }}", push!.Settings["context:template_source"]);
        Assert.Equal("hubspot", push.Settings["context:owner"]);
    }

    [Fact]
    public void A_broken_template_is_reported_at_load_with_its_file_and_line()
    {
        File.WriteAllText(Path.Combine(folder, "card.liquid"), "{{ account.name }}\n{% for t in %}{% endfor %}");

        var (push, error) = Load("template: card.liquid");

        Assert.Null(push);
        Assert.Equal("context.template", error!.Field);
        Assert.StartsWith("card.liquid line 2, column ", error.Message);
    }

    [Theory]
    [InlineData("template: nowhere.liquid", "context.template", "not found")]
    [InlineData("owner: pipedrive", "context.owner", "hubspot or salesforce")]
    [InlineData("tickets: jira", "context.tickets", "zendesk or none")]
    [InlineData("ticket_count: 50", "context.ticket_count", "0 to 20")]
    [InlineData("salesforce_match_field: \"x' OR 1=1\"", "context.salesforce_match_field", "not a Salesforce field")]
    [InlineData("ownr: hubspot", "context.ownr", "allowed: owner")]
    public void A_wrong_context_setting_names_the_field_and_the_fix(string context, string field, string hint)
    {
        var (push, error) = Load(context);

        Assert.Null(push);
        Assert.Equal(field, error!.Field);
        Assert.Contains(hint, error.Message);
    }
}
