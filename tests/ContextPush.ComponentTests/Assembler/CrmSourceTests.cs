using ContextPush.Contracts;

namespace ContextPush.ComponentTests.Assembler;

/// <summary>Owners from HubSpot and Salesforce, tickets from Zendesk, Slack ids by email: each through its fake API.</summary>
public sealed class CrmSourceTests(ServersFixture fixture)
{
    [Fact]
    public async Task HubSpot_gives_the_company_its_owner_and_a_link_and_Slack_the_owners_user_id()
    {
        await using var bed = await AssemblerTestBed.StartAsync(fixture, "hubspot");
        bed.HubSpot.Companies["501"] = new() { ["name"] = "Acme Corp", ["hubspot_owner_id"] = "11", ["account_id"] = "7" };
        bed.HubSpot.Owners["11"] = ("Ann", "Lee", "ann@example.com");
        bed.Slack.Users["ann@example.com"] = "U0ANN";

        var context = await bed.AssembleAsync(AssemblerTestBed.Delta("7", ("owner", "hubspot"), ("hubspot_id_property", "account_id"), ("tickets", "none")));

        Assert.Equal("Acme Corp", context.AccountName);
        Assert.Equal(new AccountOwner("Ann Lee", "ann@example.com", "U0ANN"), context.Owner);
        Assert.Equal(new CardLink("Open in HubSpot", "https://app.hubspot.com/contacts/4711/company/501"), Assert.Single(context.Links));
        // What a task written back into HubSpot is attached to and assigned to.
        Assert.Equal(new CrmAccount("hubspot", "501", "11"), context.Crm);
        Assert.Empty(context.Missing);
        Assert.StartsWith("Acme Corp: ", context.Headline);
        Assert.Contains("Owner: Ann Lee (ann@example.com)", context.Lines);
    }

    [Fact]
    public async Task Salesforce_accounts_of_concurrent_deltas_come_from_one_query_followed_across_its_pages()
    {
        await using var bed = await AssemblerTestBed.StartAsync(fixture, "salesforce");
        bed.Salesforce.PageSize = 2;
        for (var i = 1; i <= 5; i++)
        {
            bed.Salesforce.Accounts[$"001A{i}"] = ($"Customer {i}", $"S-{i}", $"Rep {i}", $"rep{i}@example.com");
        }

        var contexts = await Task.WhenAll(Enumerable.Range(1, 5).Select(i =>
            bed.AssembleAsync(AssemblerTestBed.Delta($"S-{i}", ("owner", "salesforce"), ("salesforce_match_field", "AccountNumber"), ("tickets", "none")))));

        for (var i = 1; i <= 5; i++)
        {
            Assert.Equal($"Customer {i}", contexts[i - 1].AccountName);
            Assert.Equal(new AccountOwner($"Rep {i}", $"rep{i}@example.com", null), contexts[i - 1].Owner);
            Assert.Equal($"{bed.Salesforce.InstanceUrl}lightning/r/Account/001A{i}/view", Assert.Single(contexts[i - 1].Links).Url);
            Assert.Equal(new CrmAccount("salesforce", $"001A{i}", $"005001A{i}"), contexts[i - 1].Crm);
        }

        // One query for all five deltas, then two more pages by nextRecordsUrl (2 + 2 + 1 records).
        Assert.Equal(3, bed.Salesforce.Faults.CallsTo("/services/data/v61.0/query"));
        Assert.Single(bed.Salesforce.Faults.Calls, c => c.Path.Contains("?q=", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Zendesk_gives_the_organizations_newest_tickets_first_as_many_as_the_push_asks()
    {
        await using var bed = await AssemblerTestBed.StartAsync(fixture, "zendesk");
        bed.HubSpot.Companies["7"] = new() { ["name"] = "Acme Corp", ["hubspot_owner_id"] = "11" };
        bed.HubSpot.Owners["11"] = ("Ann", "Lee", "ann@example.com");
        bed.Zendesk.Organizations[9001] = ("Acme Corp", "7");
        var day = new DateTimeOffset(2026, 11, 1, 9, 0, 0, TimeSpan.Zero);
        bed.Zendesk.Tickets[9001] =
        [
            (1, "Oldest", "low", "closed", day),
            (2, "SSO broken", "urgent", "open", day.AddDays(4)),
            (3, "Invoice copy", "normal", "solved", day.AddDays(2)),
            (4, "Export slow", "high", "pending", day.AddDays(3)),
            (5, "Second oldest", null, "closed", day.AddDays(1)),
        ];

        var context = await bed.AssembleAsync(AssemblerTestBed.Delta("7", ("owner", "hubspot"), ("tickets", "zendesk"), ("ticket_count", "3")));

        Assert.Equal(["SSO broken", "Export slow", "Invoice copy"], context.Tickets.Select(t => t.Subject));
        Assert.Equal(("urgent", "open"), (context.Tickets[0].Priority, context.Tickets[0].Status));
        Assert.Contains("Open high-priority tickets: 2", context.Lines);
        Assert.Contains("Recent tickets: SSO broken · Export slow · Invoice copy", context.Lines);
        Assert.Empty(context.Missing);
    }

    [Fact]
    public async Task An_account_the_crm_does_not_know_or_without_an_owner_goes_on_ownerless_and_says_why()
    {
        await using var bed = await AssemblerTestBed.StartAsync(fixture, "unknown");
        bed.HubSpot.Companies["8"] = new() { ["name"] = "Orphan Ltd", ["hubspot_owner_id"] = "" };

        var unknown = await bed.AssembleAsync(AssemblerTestBed.Delta("404", ("owner", "hubspot"), ("tickets", "none")));
        var orphan = await bed.AssembleAsync(AssemblerTestBed.Delta("8", ("owner", "hubspot"), ("tickets", "none")));

        // No owner: the Dispatcher sends these to the push's fallback destination.
        Assert.Null(unknown.Owner);
        Assert.Equal("404", unknown.AccountName);
        Assert.Contains("owner: no account '404' in hubspot", unknown.Missing);
        Assert.Null(orphan.Owner);
        Assert.Null(unknown.Crm);
        Assert.Equal(new CrmAccount("hubspot", "8", null), orphan.Crm);
        Assert.Contains("owner: the account has no owner in hubspot", orphan.Missing);
        Assert.Contains("Owner: unknown", orphan.Lines);
        Assert.Contains(("crm-push", "hubspot", "not_found"), bed.Degraded);
        Assert.Contains(("crm-push", "hubspot", "no_owner"), bed.Degraded);
    }

    [Fact]
    public async Task An_owner_without_a_Slack_account_keeps_the_email_and_gets_no_mention()
    {
        await using var bed = await AssemblerTestBed.StartAsync(fixture, "noslack");
        bed.HubSpot.Companies["7"] = new() { ["name"] = "Acme Corp", ["hubspot_owner_id"] = "11" };
        bed.HubSpot.Owners["11"] = ("Ann", "Lee", "ann@example.com");

        var context = await bed.AssembleAsync(AssemblerTestBed.Delta("7", ("owner", "hubspot"), ("tickets", "none")));

        Assert.Equal(new AccountOwner("Ann Lee", "ann@example.com", null), context.Owner);
        Assert.Empty(context.Missing);
        Assert.Equal(1, bed.Slack.LookupFaults.CallsTo("/api/users.lookupByEmail"));
    }
}
