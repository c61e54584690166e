using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Aspire.Hosting;
using Aspire.Hosting.Testing;
using ContextPush.Contracts;

namespace ContextPush.EndToEndTests.Throttler;

/// <summary>A running ContextPush whose Throttler checks for due digests twice a second.</summary>
public sealed class DigestContextPush(ServersFixture fixture) : SharedContextPush(fixture)
{
    protected override void Configure(IDistributedApplicationTestingBuilder builder) =>
        builder.Service("throttler").WithEnvironment("Throttler__DigestPollInterval", "00:00:00.500");
}

/// <summary>An owner's daily card budget: cards beyond it are held and arrive together as one digest, never dropped.</summary>
public sealed class DigestTests(DigestContextPush shared) : IClassFixture<DigestContextPush>
{
    [Fact]
    public async Task Beyond_the_owner_budget_deltas_are_held_and_sent_as_one_digest_card_at_the_digest_time()
    {
        var system = shared.System;
        var push = "budget-" + Guid.NewGuid().ToString("N")[..6];
        var digestAt = DateTimeOffset.UtcNow.AddSeconds(6);
        var assembled = Enumerable.Range(1, 4).Select(i => Assembled(push, $"Account {i} {push}", digestAt)).ToList();

        foreach (var message in assembled)
        {
            await shared.Observer.Publisher.Publish(message, TestContext.Current.CancellationToken);
            // In order, so the first two are the ones within budget.
            await shared.Observer.WaitForAsync<object>(m => m is DeliveryApproved a && a.DeltaId == message.DeltaId
                || m is DeliverySuppressed s && s.DeltaId == message.DeltaId, SharedContextPush.Patience);
        }

        var digest = await system.Slack.NextMessageAsync(m => ((string?)m["text"])?.StartsWith("2 accounts need attention", StringComparison.Ordinal) == true
            && m.ToJsonString().Contains(push, StringComparison.Ordinal), SharedContextPush.Patience);

        Assert.All(assembled.Take(2), a => Assert.Single(shared.Observer.Received<DeliveryApproved>(x => x.DeltaId == a.DeltaId)));
        var held = assembled.Skip(2).Select(a => shared.Observer.Received<DeliverySuppressed>(s => s.DeltaId == a.DeltaId).Single()).ToList();
        Assert.All(held, s => Assert.Equal("owner-budget", s.Reason));
        var sections = digest["blocks"]!.AsArray().Where(b => (string?)b!["type"] == "section").Select(b => (string)b!["text"]!["text"]!).ToList();
        Assert.Equal(2, sections.Count);
        Assert.Contains($"Account 3 {push}", sections[0]);
        Assert.Contains($"Account 4 {push}", sections[1]);
        Assert.True(DateTimeOffset.UtcNow >= digestAt.AddSeconds(-1), "the digest came before its time");

        var decisions = await system.Http.GetFromJsonAsync<JsonElement>(new Uri(system.Url("throttler"), $"/decisions?push={push}"), TestContext.Current.CancellationToken);
        Assert.Equal(2, decisions.EnumerateArray().Count(d => d.GetProperty("reason").GetString() == "owner-budget"));
        Assert.Contains("held for the digest at", decisions.EnumerateArray().First(d => d.GetProperty("reason").GetString() == "owner-budget").GetProperty("detail").GetString());

        // DigestDelivered: every account in the digest has a card out there, so its resolution can pass.
        var digested = await shared.Observer.WaitForAsync<DigestDelivered>(d => d.PushId == push, SharedContextPush.Patience);
        Assert.Equal(held.Select(s => s.DeltaId).Order(), digested.Deltas.Select(d => d.DeltaId).Order());
        Assert.Empty(shared.Observer.Received<Delivered>(d => d.PushId == push && d.AccountKey.StartsWith("digest:", StringComparison.Ordinal)));
        await Eventually.UntilAsync("the digest's accounts recorded as sent cards", async () =>
            await system.ScalarAsync<long>("throttlerdb", "SELECT count(*) FROM sent_cards WHERE push_id = @push AND account_key LIKE 'Account%'", ("push", push)) == 4);
    }

    private static ContextAssembled Assembled(string push, string accountName, DateTimeOffset digestAt)
    {
        var delta = TestMessages.Delta(push, accountName, settings: new Dictionary<string, string>
        {
            ["throttle:owner_budget"] = "2",
            ["throttle:digest_at"] = digestAt.ToString("HH:mm:ss", CultureInfo.InvariantCulture),
            ["delivery:slack:channel"] = "C0DIGEST",
        });
        return TestMessages.Assembled(delta, new AssembledContext
        {
            AccountName = accountName,
            Owner = new AccountOwner("Bea Busy", "bea@example.com", "U0BEA"),
            Headline = $"{accountName}: entered churn risk",
            Tickets = [],
            Lines = ["Owner: Bea Busy", "Recent tickets: Export fails"],
            Links = [new CardLink("Open in Salesforce", "https://crm/" + Uri.EscapeDataString(accountName))],
            Missing = [],
        });
    }
}
