using System.Net;
using ContextPush.Contracts;
using ContextPush.CardActions;
using Microsoft.Extensions.Options;

namespace ContextPush.EndToEndTests.Callbacks;

/// <summary>Signed links (Teams, email) against the real Callbacks process.</summary>
[Collection(DefaultSystem.Name)]
public sealed class ActionLinkTests(SharedContextPush shared)
{
    private RunningContextPush System => shared.System;

    private static ActionLinkSigner Signer(string key) => new(Options.Create(new ActionLinkOptions { Key = key }));

    private static ActionLink LinkFor(CardButtonValue card, DateTimeOffset? expires = null) =>
        new(card, CardAction.Reviewed, null, "ada@example.com", "email", expires ?? DateTimeOffset.UtcNow.AddDays(14));

    [Fact]
    public async Task Opening_a_link_asks_for_confirmation_and_confirming_records_once()
    {
        var (_, _, card) = await shared.DeliverCardAsync();
        var url = Url(Signer(RunningContextPush.LinkKey).Sign(LinkFor(card)));

        using var opened = await System.Http.GetAsync(url, TestContext.Current.CancellationToken);
        var page = await opened.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, opened.StatusCode);
        Assert.Contains("<form method=\"post\"", page);
        Assert.Equal(0L, await shared.RecordedAsync(card.DeltaId)); // a link scanner's GET changes nothing

        using var confirmed = await System.Http.PostAsync(url, null, TestContext.Current.CancellationToken);
        using var repeated = await System.Http.PostAsync(url, null, TestContext.Current.CancellationToken);
        var fed = await shared.Observer.WaitForAsync<CardActioned>(a => a.DeltaId == card.DeltaId, SharedContextPush.Patience);
        await System.WaitUntilIdleAsync(SharedContextPush.Patience);

        Assert.Contains("<h1>Done</h1>", await confirmed.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Contains("<h1>Already done</h1>", await repeated.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal(1L, await shared.RecordedAsync(card.DeltaId));
        Assert.Single(shared.Observer.Received<CardActioned>(a => a.DeltaId == card.DeltaId));
        Assert.Equal(("ada@example.com", "email", CardAction.Reviewed), (fed.ActorId, fed.Channel, fed.Action));
    }

    [Fact]
    public async Task A_link_signed_with_the_previous_key_is_honoured_during_rotation()
    {
        var (_, _, card) = await shared.DeliverCardAsync();

        using var confirmed = await System.Http.PostAsync(Url(Signer(RunningContextPush.PreviousLinkKey).Sign(LinkFor(card))), null,
            TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
        Assert.Equal(1L, await shared.RecordedAsync(card.DeltaId));
    }

    [Fact]
    public async Task An_expired_open_link_still_leads_to_its_page_but_counts_nothing_and_a_link_cannot_be_pointed_elsewhere()
    {
        var (_, _, card) = await shared.DeliverCardAsync();
        var signer = Signer(RunningContextPush.LinkKey);
        var open = new ActionLink(card, CardAction.Opened, null, "ada@example.com", "email", DateTimeOffset.UtcNow.AddMinutes(-1), "https://crm.example.com/001");
        var elsewhere = open with { ExpiresAt = DateTimeOffset.UtcNow.AddDays(1), Url = "https://attacker.example.net/" };
        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });

        using var expired = await browser.GetAsync(Url(signer.Sign(open)), TestContext.Current.CancellationToken);
        using var redirected = await browser.PostAsync(
            Url(Tamper(signer.Sign(open with { ExpiresAt = elsewhere.ExpiresAt }), signer.Sign(elsewhere))), null, TestContext.Current.CancellationToken);
        await System.WaitUntilIdleAsync(SharedContextPush.Patience);

        Assert.Equal(HttpStatusCode.Redirect, expired.StatusCode);
        Assert.Equal("https://crm.example.com/001", expired.Headers.Location?.ToString());
        Assert.Equal(HttpStatusCode.BadRequest, redirected.StatusCode);
        Assert.Null(redirected.Headers.Location);
        Assert.Equal(0L, await shared.RecordedAsync(card.DeltaId));
    }

    public static TheoryData<string, int, string> BadLinks() => new()
    {
        { "tampered", 400, "This link has been altered" },
        { "unknown-key", 400, "signed with a key we no longer accept" },
        { "expired", 410, "This link has expired" },
        { "garbage", 400, "This link is not one of ours" },
    };

    [Theory]
    [MemberData(nameof(BadLinks))]
    public async Task A_tampered_expired_or_foreign_link_gets_a_plain_error_page_and_changes_nothing(string kind, int status, string message)
    {
        var (_, _, card) = await shared.DeliverCardAsync();
        var signer = Signer(RunningContextPush.LinkKey);
        var token = kind switch
        {
            "tampered" => Tamper(signer.Sign(LinkFor(card)), signer.Sign(LinkFor(card with { AccountKey = "someone-else" }))),
            "unknown-key" => Signer("an-attackers-key-0123456789abcdefghij").Sign(LinkFor(card)),
            "expired" => signer.Sign(LinkFor(card, DateTimeOffset.UtcNow.AddMinutes(-1))),
            _ => "v1.garbage",
        };

        using var opened = await System.Http.GetAsync(Url(token), TestContext.Current.CancellationToken);
        using var confirmed = await System.Http.PostAsync(Url(token), null, TestContext.Current.CancellationToken);
        await System.WaitUntilIdleAsync(SharedContextPush.Patience);

        Assert.Equal(status, (int)opened.StatusCode);
        Assert.Equal(status, (int)confirmed.StatusCode);
        Assert.Contains(message, await confirmed.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Contains("Nothing was changed", await confirmed.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal(0L, await shared.RecordedAsync(card.DeltaId));
        Assert.Empty(shared.Observer.Received<CardActioned>(a => a.DeltaId == card.DeltaId));
    }

    /// <summary>The genuine signature over another link's payload: what editing the token in a URL bar does.</summary>
    private static string Tamper(string genuine, string other)
    {
        var parts = genuine.Split('.');
        return $"{parts[0]}.{other.Split('.')[1]}.{parts[2]}";
    }

    private Uri Url(string token) => new(System.Url("callbacks"), $"/a/{token}");
}
