namespace ContextPush.ComponentTests.Assembler;

/// <summary>Rate limits waited out, failures and timeouts retried, and then the delta goes on with what is known.</summary>
public sealed class SourceTroubleTests(ServersFixture fixture)
{
    private static async Task<AssemblerTestBed> BedWithAcmeAsync(ServersFixture fixture, string name)
    {
        var bed = await AssemblerTestBed.StartAsync(fixture, name);
        bed.HubSpot.Companies["7"] = new() { ["name"] = "Acme Corp", ["hubspot_owner_id"] = "11" };
        bed.HubSpot.Owners["11"] = ("Ann", "Lee", "ann@example.com");
        bed.Zendesk.Organizations[9001] = ("Acme Corp", "7");
        bed.Zendesk.Tickets[9001] = [(1, "SSO broken", "urgent", "open", DateTimeOffset.UtcNow)];
        return bed;
    }

    private static ContextPush.Contracts.DeltaDetected Acme() => AssemblerTestBed.Delta("7", ("owner", "hubspot"), ("tickets", "zendesk"));

    [Fact]
    public async Task A_429_is_waited_out_for_as_long_as_Retry_After_says()
    {
        await using var bed = await BedWithAcmeAsync(fixture, "ratelimit");
        bed.HubSpot.Faults.RateLimitNext(1, retryAfter: 2);

        var context = await bed.AssembleAsync(Acme());

        Assert.Equal("Ann Lee", context.Owner?.Name);
        Assert.Empty(context.Missing);
        var calls = bed.HubSpot.Faults.Calls.Where(c => c.Path.StartsWith("/crm/v3/objects", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, calls.Count);
        // The configured retry delay is 100 ms; only Retry-After explains a wait of about two seconds.
        Assert.InRange(calls[1].At - calls[0].At, TimeSpan.FromSeconds(1.9), TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task A_source_failing_with_500s_is_retried_then_left_out_and_the_others_still_answer()
    {
        await using var bed = await BedWithAcmeAsync(fixture, "fail500");
        bed.HubSpot.Faults.FailNext(100);

        var context = await bed.AssembleAsync(Acme());

        Assert.Equal(4, bed.HubSpot.Faults.CallsTo("/crm/v3/objects/companies/batch/read")); // 1 + 3 retries
        Assert.Null(context.Owner);
        Assert.Contains("owner: HubSpot answered HTTP 500 Internal Server Error", context.Missing);
        Assert.Contains("Not available: owner: HubSpot answered HTTP 500 Internal Server Error", context.Lines);
        Assert.Equal("SSO broken", Assert.Single(context.Tickets).Subject);
        Assert.Contains(("crm-push", "hubspot", "unavailable"), bed.Degraded);
    }

    [Fact]
    public async Task A_warehouse_that_cannot_be_reached_is_retried_then_left_out_and_the_CRM_still_answers()
    {
        // Nothing listens there: every connection is refused.
        var closed = $"Host=127.0.0.1;Port={ContextPush.AppHost.Servers.FreePort.Next()};Username=nobody;Timeout=2";
        await using var bed = await AssemblerTestBed.StartAsync(fixture, "nowarehouse", warehouse: closed);
        bed.HubSpot.Companies["7"] = new() { ["name"] = "Acme Corp", ["hubspot_owner_id"] = "11" };
        bed.HubSpot.Owners["11"] = ("Ann", "Lee", "ann@example.com");

        var context = await bed.AssembleAsync(AssemblerTestBed.Delta("7", ("owner", "hubspot"), ("tickets", "warehouse")));

        Assert.Equal("Ann Lee", context.Owner?.Name);
        Assert.Empty(context.Tickets);
        Assert.Contains("tickets: the warehouse could not be reached", context.Missing);
        Assert.Contains(("crm-push", "warehouse", "unavailable"), bed.Degraded);
    }

    [Fact]
    public async Task A_slow_answer_is_abandoned_and_retried()
    {
        await using var bed = await BedWithAcmeAsync(fixture, "slowonce");
        bed.Zendesk.Faults.StallNext(1, TimeSpan.FromSeconds(5));

        var context = await bed.AssembleAsync(Acme());

        Assert.Equal("SSO broken", Assert.Single(context.Tickets).Subject);
        Assert.Empty(context.Missing);
        Assert.Equal(2, bed.Zendesk.Faults.CallsTo("/api/v2/organizations/show_many"));
    }

    [Fact]
    public async Task A_source_that_never_answers_in_time_is_left_out_as_timed_out()
    {
        await using var bed = await BedWithAcmeAsync(fixture, "slowall");
        bed.Zendesk.Faults.StallNext(100, TimeSpan.FromSeconds(5));

        var context = await bed.AssembleAsync(Acme());

        Assert.Equal(4, bed.Zendesk.Faults.CallsTo("/api/v2/organizations/show_many"));
        Assert.Empty(context.Tickets);
        Assert.Contains("tickets: Zendesk did not answer in time", context.Missing);
        Assert.Equal("Ann Lee", context.Owner?.Name);
        Assert.Contains(("crm-push", "zendesk", "timeout"), bed.Degraded);
    }

    [Fact]
    public async Task Slack_refusing_the_lookup_keeps_the_owner_and_says_the_mention_is_missing()
    {
        await using var bed = await BedWithAcmeAsync(fixture, "slackerr");
        bed.Slack.LookupFaults.RateLimitNext(100, retryAfter: 0);

        var context = await bed.AssembleAsync(Acme());

        Assert.Equal(("Ann Lee", null), (context.Owner?.Name, context.Owner?.SlackUserId));
        Assert.Contains("Slack id: Slack answered HTTP 429 Too Many Requests", context.Missing);
        Assert.Contains(("crm-push", "slack", "unavailable"), bed.Degraded);
    }
}
