using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Aspire.Hosting;
using Aspire.Hosting.Testing;
using ContextPush.Contracts;
using ContextPush.Testing.Fakes;
using MimeKit;

namespace ContextPush.EndToEndTests.Dispatcher;

/// <summary>A running ContextPush whose Dispatcher knows a fake Teams webhook (and a broken one) and a fake SMTP server.</summary>
public sealed class MultiChannelContextPush(ServersFixture fixture) : SharedContextPush(fixture)
{
    public FakeTeamsWebhook Teams { get; private set; } = null!;

    public FakeSmtpServer Smtp { get; private set; } = null!;

    public override async ValueTask InitializeAsync()
    {
        Teams = await FakeTeamsWebhook.StartAsync();
        Smtp = FakeSmtpServer.Start();
        await base.InitializeAsync();
    }

    protected override void Configure(IDistributedApplicationTestingBuilder builder) =>
        builder.Service("dispatcher")
            .WithEnvironment("Dispatcher__Teams__Webhooks__csteam", Teams.Url.ToString())
            .WithEnvironment("Dispatcher__Teams__Webhooks__rotated", Teams.WithWrongSignature().ToString())
            .WithEnvironment("Dispatcher__Email__Host", "127.0.0.1")
            .WithEnvironment("Dispatcher__Email__Port", Smtp.Port.ToString(CultureInfo.InvariantCulture))
            .WithEnvironment("Dispatcher__Email__Security", "None")
            .WithEnvironment("Dispatcher__Email__From", "ContextPush <alerts@contextpush.test>")
            .WithEnvironment("Dispatcher__Redelivery__FirstDelay", "00:00:00.300")
            .WithEnvironment("Dispatcher__Redelivery__PollInterval", "00:00:00.100");

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await Teams.DisposeAsync();
        await Smtp.DisposeAsync();
    }
}

/// <summary>Teams Adaptive Cards and emails, whose signed links come back through Callbacks.</summary>
public sealed partial class TeamsAndEmailTests(MultiChannelContextPush shared) : IClassFixture<MultiChannelContextPush>
{
    private RunningContextPush System => shared.System;

    [Fact]
    public async Task A_Teams_card_is_an_Adaptive_Card_1_4_whose_review_link_is_recorded_by_Callbacks()
    {
        var approval = Approval(("delivery:channel", "teams"), ("delivery:teams:webhook", "csteam"));

        await shared.Observer.Publisher.Publish(approval, TestContext.Current.CancellationToken);
        var delivered = await shared.Observer.WaitForAsync<Delivered>(d => d.DeltaId == approval.DeltaId, SharedContextPush.Patience);
        var message = await shared.Teams.NextCardAsync(m => m.ToJsonString().Contains(approval.Delta.AccountKey, StringComparison.Ordinal), SharedContextPush.Patience);

        Assert.Equal(("teams", "csteam"), (delivered.Channel, delivered.Destination));
        var card = message["attachments"]![0]!["content"]!;
        Assert.Equal("1.4", (string?)card["version"]);
        Assert.Equal(approval.Context.Headline.Replace("*", "\\*"), (string?)card["body"]![0]!["text"]);
        Assert.Equal("Churn Probability", (string?)card["body"]![1]!["facts"]![0]!["title"]);
        var actions = card["actions"]!.AsArray().Select(a => ((string?)a!["type"], (string?)a["title"])).ToList();
        Assert.Equal([("Action.OpenUrl", "Open in Salesforce"), ("Action.OpenUrl", "Mark as reviewed"), ("Action.OpenUrl", "Snooze 7 days")], actions);

        var review = new Uri((string)card["actions"]![1]!["url"]!);
        Assert.StartsWith(System.Url("callbacks").ToString(), review.ToString());
        await ConfirmAsync(review);
        Assert.Equal(1L, await System.ScalarAsync<long>("callbacksdb",
            "SELECT count(*) FROM card_actions WHERE delta_id = @delta AND channel = 'teams' AND actor_id = 'owner@example.com'", ("delta", approval.DeltaId)));
    }

    [Fact]
    public async Task A_Teams_cards_CRM_link_goes_through_Callbacks_which_counts_the_open_and_sends_the_person_on()
    {
        var approval = Approval(("delivery:channel", "teams"), ("delivery:teams:webhook", "csteam"));

        await shared.Observer.Publisher.Publish(approval, TestContext.Current.CancellationToken);
        var message = await shared.Teams.NextCardAsync(m => m.ToJsonString().Contains(approval.Delta.AccountKey, StringComparison.Ordinal), SharedContextPush.Patience);
        var open = new Uri((string)message["attachments"]![0]!["content"]!["actions"]![0]!["url"]!);
        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        using var page = await browser.GetAsync(open, TestContext.Current.CancellationToken);
        var html = await page.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        var countedBeforeScript = await OpensAsync(approval.DeltaId);
        using var followed = await browser.PostAsync(open, null, TestContext.Current.CancellationToken);
        using var again = await browser.PostAsync(open, null, TestContext.Current.CancellationToken);
        var fed = await shared.Observer.WaitForAsync<CardActioned>(a => a.DeltaId == approval.DeltaId, SharedContextPush.Patience);

        Assert.StartsWith(System.Url("callbacks").ToString(), open.ToString());
        Assert.Contains(".submit()", html); // the browser goes on at once; a scanner that runs no script records nothing
        Assert.Equal(0L, countedBeforeScript);
        Assert.Equal(HttpStatusCode.SeeOther, followed.StatusCode);
        Assert.Equal("https://example.my.salesforce.com/001ACME", followed.Headers.Location?.ToString());
        Assert.Equal(HttpStatusCode.SeeOther, again.StatusCode);
        Assert.Equal((CardAction.Opened, "teams", "owner@example.com"), (fed.Action, fed.Channel, fed.ActorId));
        Assert.Equal(1L, await OpensAsync(approval.DeltaId));
    }

    private Task<long> OpensAsync(Guid deltaId) => System.ScalarAsync<long>("callbacksdb",
        "SELECT count(*) FROM card_actions WHERE delta_id = @delta AND action = 'Opened'", ("delta", deltaId));

    [Fact]
    public async Task A_webhook_that_refuses_the_post_is_recorded_with_its_status_and_body_and_not_retried()
    {
        var approval = Approval(("delivery:channel", "teams"), ("delivery:teams:webhook", "rotated"));

        var failed = await RefusedAsync(approval);

        Assert.True(failed.Permanent);
        Assert.StartsWith("HTTP 401: ", failed.Error);
        Assert.Contains("DirectApiAuthorizationRequired", failed.Error);
        Assert.DoesNotContain("sig=", failed.Error);
    }

    [Fact]
    public async Task An_email_has_html_and_text_parts_escapes_data_and_its_review_link_is_recorded_by_Callbacks()
    {
        var approval = Approval(("delivery:channel", "email"));

        await shared.Observer.Publisher.Publish(approval, TestContext.Current.CancellationToken);
        await shared.Observer.WaitForAsync<Delivered>(d => d.DeltaId == approval.DeltaId, SharedContextPush.Patience);
        var email = await shared.Smtp.NextMessageAsync(m => m.Headers["X-ContextPush-Delta"] == approval.DeltaId.ToString(), SharedContextPush.Patience);

        Assert.Equal(approval.Context.Headline, email.Subject);
        Assert.Equal("owner@example.com", ((MailboxAddress)email.To.Single()).Address);
        Assert.Equal("alerts@contextpush.test", ((MailboxAddress)email.From.Single()).Address);
        Assert.Contains("&lt;Acme &amp; *Sons*&gt;", email.HtmlBody);
        Assert.Contains("<Acme & *Sons*>", email.TextBody);
        var review = new Uri(ReviewLink().Match(email.TextBody ?? "").Groups[1].Value);
        Assert.Matches($@"Open in Salesforce: {Regex.Escape(System.Url("callbacks").ToString())}a/v1\.", email.TextBody);
        await ConfirmAsync(review);
        Assert.Equal(1L, await System.ScalarAsync<long>("callbacksdb",
            "SELECT count(*) FROM card_actions WHERE delta_id = @delta AND channel = 'email' AND actor_id = 'owner@example.com'", ("delta", approval.DeltaId)));
    }

    [Fact]
    public async Task An_unknown_mailbox_is_recorded_with_the_servers_550_and_not_retried()
    {
        shared.Smtp.UnknownMailboxes["gone@example.com"] = true;
        var approval = Approval(("delivery:channel", "email"), ("delivery:email:to", "gone@example.com"));

        var failed = await RefusedAsync(approval);

        Assert.True(failed.Permanent);
        Assert.Equal("gone@example.com", failed.Destination);
        Assert.StartsWith("550 ", failed.Error);
        Assert.Contains("User unknown", failed.Error);
    }

    [Fact]
    public async Task A_greylisted_mailbox_is_tried_again_later_and_gets_the_email_once()
    {
        shared.Smtp.Greylisted["later@example.com"] = 2;
        var approval = Approval(("delivery:channel", "email"), ("delivery:email:to", "later@example.com"));

        await shared.Observer.Publisher.Publish(approval, TestContext.Current.CancellationToken);
        var delivered = await shared.Observer.WaitForAsync<Delivered>(d => d.DeltaId == approval.DeltaId, SharedContextPush.Patience);
        await System.WaitUntilIdleAsync(SharedContextPush.Patience);

        Assert.Equal("later@example.com", delivered.Destination);
        Assert.Equal([451, 451, 250], shared.Smtp.Replies.Where(r => r.To == "later@example.com").Select(r => r.Code));
        Assert.Single(shared.Smtp.Messages, m => m.Headers["X-ContextPush-Delta"] == approval.DeltaId.ToString());
        Assert.Empty(shared.Observer.Received<DeliveryFailed>(f => f.DeltaId == approval.DeltaId));
    }

    private async Task ConfirmAsync(Uri link)
    {
        using var page = await System.Http.GetAsync(link, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        using var done = await System.Http.PostAsync(link, null, TestContext.Current.CancellationToken);
        Assert.Contains("<h1>Done</h1>", await done.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    private static DeliveryApproved Approval(params (string Key, string Value)[] settings)
    {
        var account = Guid.NewGuid().ToString("N")[..10];
        var delta = new DeltaDetected
        {
            CorrelationId = Guid.NewGuid(),
            DeltaId = Guid.NewGuid(),
            RunId = Guid.NewGuid(),
            PushId = "channels",
            Topic = "churn-risk",
            AccountKey = account,
            Kind = DeltaKind.Changed,
            Metrics = new Dictionary<string, decimal?> { ["churn_probability"] = 0.91m },
            PreviousMetrics = new Dictionary<string, decimal?> { ["churn_probability"] = 0.62m },
            DetectedAt = DateTimeOffset.UtcNow,
            Settings = settings.ToDictionary(s => s.Key, s => s.Value),
        };
        return new DeliveryApproved
        {
            CorrelationId = delta.CorrelationId,
            DeltaId = delta.DeltaId,
            Delta = delta,
            Context = new AssembledContext
            {
                AccountName = "<Acme & *Sons*>",
                Owner = new AccountOwner("Olga Owner", "owner@example.com", null),
                Headline = $"<Acme & *Sons*> {account}: churn probability 0.91 (was 0.62)",
                Tickets = [],
                Lines = ["Owner: Olga Owner (owner@example.com)"],
                Links = [new CardLink("Open in Salesforce", "https://example.my.salesforce.com/001ACME")],
                Missing = [],
            },
            ApprovedAt = DateTimeOffset.UtcNow,
        };
    }

    [GeneratedRegex(@"Mark as reviewed: (\S+)")]
    private static partial Regex ReviewLink();

    private async Task<DeliveryFailed> RefusedAsync(DeliveryApproved approval)
    {
        await shared.Observer.Publisher.Publish(approval, TestContext.Current.CancellationToken);
        return await shared.Observer.WaitForAsync<DeliveryFailed>(f => f.DeltaId == approval.DeltaId, SharedContextPush.Patience);
    }
}
