using System.Net;
using Aspire.Hosting.Testing;
using ContextPush.EndToEndTests.Browser;
using ContextPush.Testing.Fakes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ContextPush.EndToEndTests.Dashboard;

/// <summary>The AppHost's model with Aspire's dashboard running, as on-call has it locally.</summary>
public sealed class DashboardContextPush(ServersFixture fixture) : SharedContextPush(fixture)
{
    protected override bool Dashboard => true;

    public DashboardTelemetry Telemetry { get; private set; } = null!;

    /// <summary>What the AppHost gave its dashboard to open the browser's session with (Aspire.Hosting.Testing always sets one).</summary>
    public string BrowserToken { get; private set; } = null!;

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        var configuration = System.App.Services.GetRequiredService<IConfiguration>();
        BrowserToken = configuration["AppHost:BrowserToken"]!;
        Telemetry = new DashboardTelemetry(await System.App.GetDashboardUrlAsync(TestContext.Current.CancellationToken), System.Http,
            configuration["AppHost:DashboardApiKey"]);
    }
}

/// <summary>One AppHost model with its dashboard, shared by the classes that look at the model and at the dashboard.</summary>
[CollectionDefinition(Name)]
public sealed class DashboardCollection : ICollectionFixture<DashboardContextPush>
{
    public const string Name = "AppHost model with its dashboard";
}

/// <summary>On-call follows one delta in Aspire's dashboard: its trace across the services, its logs, and in a browser.</summary>
[Collection(DashboardCollection.Name)]
public sealed class DashboardTests(DashboardContextPush shared)
{
    // Callbacks too: it learns of the delivered card (Delivered) for the adoption figures.
    private static readonly string[] Pipeline = ["detector", "assembler", "throttler", "dispatcher", "callbacks"];

    private RunningContextPush System => shared.System;

    [Fact]
    public async Task One_deltas_trace_spans_every_service_with_its_attributes_and_a_later_click_links_to_it()
    {
        var (value, button) = await OneDelta.DeliverAsync(System, 990003, "Trace Labs", SharedContextPush.Patience);
        var deltaId = button.DeltaId.ToString();
        var traceId = button.TraceParent!.Split('-')[1];

        await shared.Telemetry.WaitForDeltaTraceAsync(traceId, deltaId, Pipeline);
        var spans = await shared.Telemetry.WaitForTraceAsync(traceId, "the Slack call, the Assembler's SQL and the Throttler's Redis claim", all =>
            all.Any(s => s.Service == "dispatcher" && s.Name.Contains("POST", StringComparison.Ordinal))
            && all.Any(s => s.Service == "assembler" && (s.Attributes.GetValueOrDefault("db.system.name") ?? s.Attributes.GetValueOrDefault("db.system")) == "postgresql")
            && all.Any(s => s.Service == "throttler" && s.Attributes.GetValueOrDefault("db.system") == "redis"));

        var tagged = spans.Where(s => s.Attributes.GetValueOrDefault("contextpush.delta_id") == deltaId).ToList();
        Assert.Equal(Pipeline.Order(), tagged.Select(s => s.Service).Distinct().Order());
        Assert.All(tagged, s =>
        {
            Assert.Equal("churn-risk", s.Attributes.GetValueOrDefault("contextpush.push_id"));
            Assert.Equal("990003", s.Attributes.GetValueOrDefault("contextpush.account_key"));
        });
        Assert.All(spans, s => Assert.Equal(traceId, s.TraceId));

        using (var click = SlackInteractionRequest.BlockActions(new Uri(System.Url("callbacks"), "/slack/interactions"), RunningContextPush.SigningSecret,
                   "U0TRACER", "mark_reviewed", value, "1700000010.000001"))
        using (var answer = await System.Http.SendAsync(click, TestContext.Current.CancellationToken))
        {
            Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        }

        var clickSpan = await shared.Telemetry.WaitForSpanAsync("callbacks", s => s.LinkedTraceIds.Contains(traceId), "linked to the delivery's trace");
        Assert.Equal(deltaId, clickSpan.Attributes["contextpush.delta_id"]);
    }

    [Fact]
    public async Task A_log_line_written_while_a_message_about_a_delta_is_handled_carries_its_push_account_and_DeltaId()
    {
        var (value, button) = await OneDelta.DeliverAsync(System, 990005, "Log Lines", SharedContextPush.Patience);
        var deltaId = button.DeltaId.ToString();
        using (var click = SlackInteractionRequest.BlockActions(new Uri(System.Url("callbacks"), "/slack/interactions"), RunningContextPush.SigningSecret,
                   "U0LOGGER", "mark_reviewed", value, "1700000011.000001"))
        using (var answer = await System.Http.SendAsync(click, TestContext.Current.CancellationToken))
        {
            Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        }

        // The Throttler's one line on the click, written while it handles CardActioned: the message itself names no push or account.
        var line = await shared.Telemetry.WaitForLogAsync("throttler", l => l.Attributes.GetValueOrDefault("contextpush.delta_id") == deltaId, "about the click");

        Assert.Contains("will suppress its alerts", line.Body);
        Assert.Equal("churn-risk", line.Attributes["contextpush.push_id"]);
        Assert.Equal("990005", line.Attributes["contextpush.account_key"]);
        Assert.False(string.IsNullOrEmpty(line.TraceId));
    }

    [Fact]
    public async Task The_dashboard_shows_a_deltas_trace_across_the_four_services_in_a_browser()
    {
        var (_, button) = await OneDelta.DeliverAsync(System, 990004, "Dashboard Dynamics", SharedContextPush.Patience);
        var traceId = button.TraceParent!.Split('-')[1];
        await shared.Telemetry.WaitForDeltaTraceAsync(traceId, button.DeltaId.ToString(), Pipeline);
        var page = await OpenAsync($"/traces/detail/{traceId}", "dashboard-trace.png", [.. Pipeline, "delta entered"]);

        var lines = page.Split('\n').Select(l => l.Trim()).ToList();
        Assert.Contains("delta entered", lines); // the Detector's root span
        Assert.Contains("dispatcher-delivery-approved process", lines);
        Assert.All(Pipeline, service => Assert.Contains(service, lines));
    }

    [Fact]
    public async Task The_dashboard_plots_our_metrics_and_MassTransits_for_a_service()
    {
        await OneDelta.DeliverAsync(System, 990007, "Metric Makers", SharedContextPush.Patience);

        var page = await OpenAsync("/metrics/resource/dispatcher?meter=ContextPush&instrument=contextpush.dispatcher.delivered", "dashboard-metrics.png",
            ["contextpush.dispatcher.delivered", "contextpush.dispatcher.detection_to_delivery", "contextpush.queue.depth", "messaging.masstransit.consume"]);

        Assert.Contains("Npgsql", page); // Aspire.Npgsql's own metrics
    }

    /// <summary>Opens a dashboard page in Chromium, waits for the expected lines, and keeps a screenshot with the test output for a person to look at.</summary>
    private async Task<string> OpenAsync(string path, string screenshotName, string[] expectedLines)
    {
        var screenshot = Path.Combine(AppContext.BaseDirectory, "test-artifacts", screenshotName);
        Directory.CreateDirectory(Path.GetDirectoryName(screenshot)!);
        File.Delete(screenshot);
        var page = await BrowserScript.RunAsync("dashboard-page.mjs", shared.Telemetry.Dashboard.ToString(), shared.BrowserToken, path, screenshot,
            string.Join('|', expectedLines));
        Assert.True(new FileInfo(screenshot).Length > 10_000, $"the screenshot of {path} is empty");
        return page;
    }

    [Fact]
    public async Task The_dispatchers_recent_cards_page_draws_the_delivered_card_as_Block_Kit()
    {
        await OneDelta.DeliverAsync(System, 990006, "Card Preview Co", SharedContextPush.Patience);

        // The delivery is recorded with its preview right after Slack accepted the card.
        var page = await Eventually.GetAsync("the card on GET /cards",
            () => System.Http.GetStringAsync(new Uri(System.Url("dispatcher"), "/cards"), TestContext.Current.CancellationToken),
            html => html.Contains("Card Preview Co", StringComparison.Ordinal));

        Assert.Contains("Card Preview Co", page);
        Assert.Contains("<span class=\"btn primary\">Mark as reviewed</span>", page);
        Assert.Contains("push <b>churn-risk</b>", page);
    }
}
