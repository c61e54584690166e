using Aspire.Hosting;
using ContextPush.Testing.Fakes;

namespace ContextPush.EndToEndTests.Assembler;

/// <summary>A push that reads HubSpot, Zendesk and Slack, through all five services, with its own wording.</summary>
public sealed class LiveSourcesEndToEndTests(ServersFixture fixture)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private const string Push = """
        id: churn-risk
        cohort: |
          SELECT a.id AS account_id, a.churn_probability, a.usage_drop
          FROM accounts a WHERE a.churn_probability > 0.8 OR a.usage_drop > 0.2
        key: [account_id]
        metrics:
          - name: churn_probability
          - name: usage_drop
        schedule: "0 8 * * *"
        first_run: send
        context:
          owner: hubspot
          tickets: zendesk
          template: card.liquid
        delivery:
          slack:
            fallback_channel: "#customer-success"
        """;

    private const string Template = """
        {{ account.name }} needs a look
        {% if format == "slack" %}*Account:*{% else %}Account:{% endif %} {{ account.name }}
        {% for t in tickets %}Ticket: {{ t.subject }}{% endfor %}
        {% if missing.size > 0 %}Not available: {{ missing | join: "; " }}{% endif %}
        """;

    [Fact]
    public async Task Cards_carry_the_crm_owner_the_help_desk_tickets_and_the_push_wording_and_an_unknown_account_goes_to_the_team()
    {
        await using var hubSpot = await FakeHubSpot.StartAsync();
        await using var zendesk = await FakeZendesk.StartAsync();
        await using var system = await RunningContextPush.StartAsync(fixture, "livesrc",
            pushFiles: new Dictionary<string, string> { ["churn-risk.yaml"] = Push, ["card.liquid"] = Template },
            configure: builder => builder.Service("assembler")
                .WithEnvironment("Assembler__HubSpot__BaseUrl", hubSpot.BaseUrl.ToString())
                .WithEnvironment("Assembler__HubSpot__AccessToken", hubSpot.Token)
                .WithEnvironment("Assembler__Zendesk__BaseUrl", zendesk.BaseUrl.ToString())
                .WithEnvironment("Assembler__Zendesk__Email", zendesk.Email)
                .WithEnvironment("Assembler__Zendesk__ApiToken", zendesk.Token));
        var cohort = (await system.ScalarAsync<string>("warehouse",
            "SELECT string_agg(id::text, ',' ORDER BY id) FROM accounts WHERE churn_probability > 0.8 OR usage_drop > 0.2")).Split(',');
        Assert.True(cohort.Length >= 3, $"the demo cohort has {cohort.Length} accounts");
        var unknown = cohort[0];
        var odd = cohort[1];
        foreach (var id in cohort.Skip(1))
        {
            hubSpot.Companies[id] = new() { ["name"] = id == odd ? "<Acme & *Sons*>" : $"Company {id}", ["hubspot_owner_id"] = "21" };
            zendesk.Organizations[long.Parse(id)] = ($"Org {id}", id);
            zendesk.Tickets[long.Parse(id)] = [(long.Parse(id), $"Ticket of {id}", "high", "open", DateTimeOffset.UtcNow)];
        }

        hubSpot.Owners["21"] = ("Rita", "Owner", "rita@example.com");
        system.Slack.Users["rita@example.com"] = "U0RITA";

        await system.RunPushAsync();

        foreach (var _ in cohort)
        {
            await system.Slack.NextMessageAsync(_ => true, Patience); // one card per account, in any order
        }

        var oddCard = Assert.Single(system.Slack.Messages, m => JsonText.All(m).Contains("Ticket of " + odd));
        Assert.Equal("U0RITA", (string?)oddCard["channel"]);
        var oddText = JsonText.All(oddCard);
        Assert.Contains("<Acme & *Sons*> needs a look", oddText); // the header is plain_text: Slack shows it as is
        Assert.Contains("*Account:* &lt;Acme &amp; *\u200BSons*\u200B&gt;", oddText); // mrkdwn: the template's bold, the data escaped

        var fallback = Assert.Single(system.Slack.Messages, m => (string?)m["channel"] == "#customer-success");
        Assert.Contains($"Not available: owner: no account '{unknown}' in hubspot", JsonText.All(fallback));
        Assert.Contains(hubSpot.Faults.Calls, c => c.Path.StartsWith("/crm/v3/objects/companies/batch/read", StringComparison.Ordinal));
        Assert.Equal(1, system.Slack.LookupFaults.CallsTo("/api/users.lookupByEmail"));
    }
}
