using System.Net;
using Aspire.Hosting.Testing;
using ContextPush.IntegrationTests.Browser;
using ContextPush.IntegrationTests.Fakes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ContextPush.IntegrationTests.Dashboard;

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

/// <summary>On-call follows one delta in Aspire's dashboard: its trace across the services, its logs, and in a browser.</summary>
public sealed class DashboardTests(DashboardContextPush shared) : IClassFixture<DashboardContextPush>
{
    private static readonly string[] Pipeline = ["detector", "assembler", "throttler", "dispatcher"];

    private RunningContextPush System => shared.System;

    [Fact]
    public async Task One_deltas_trace_spans_the_four_pipeline_services_with_its_attributes_and_a_later_click_links_to_it()
    {
        var (value, button) = await OneDelta.DeliverAsync(System, 990003, "Trace Labs", SharedContextPush.Patience);
        var deltaId = button.DeltaId.ToString();
        var traceId = button.TraceParent!.Split('-')[1];

        var spans = await shared.Telemetry.WaitForDeltaTraceAsync(traceId, deltaId, Pipeline);

        var tagged = spans.Where(s => s.Attributes.GetValueOrDefault("contextpush.delta_id") == deltaId).ToList();
        Assert.Equal(["assembler", "detector", "dispatcher", "throttler"], tagged.Select(s => s.Service).Distinct().Order());
        Assert.All(tagged, s =>
        {
            Assert.Equal("churn-risk", s.Attributes.GetValueOrDefault("contextpush.push_id"));
            Assert.Equal("990003", s.Attributes.GetValueOrDefault("contextpush.account_key"));
        });
        Assert.All(spans, s => Assert.Equal(traceId, s.TraceId));
        Assert.Contains(spans, s => s.Service == "dispatcher" && s.Name.Contains("POST", StringComparison.Ordinal)); // the Slack call
        Assert.Contains(spans, s => s.Service == "assembler" && (s.Attributes.GetValueOrDefault("db.system.name") ?? s.Attributes.GetValueOrDefault("db.system")) == "postgresql"); // its SQL
        Assert.Contains(spans, s => s.Service == "throttler" && s.Attributes.GetValueOrDefault("db.system") == "redis"); // the cap's claim

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
    public async Task Every_log_line_written_while_a_delta_is_handled_carries_its_push_account_and_DeltaId()
    {
        var (_, button) = await OneDelta.DeliverAsync(System, 990005, "Log Lines", SharedContextPush.Patience);
        var deltaId = button.DeltaId.ToString();

        var card = await shared.Telemetry.WaitForLogAsync("dispatcher", l => l.Attributes.GetValueOrDefault("contextpush.delta_id") == deltaId, "about the delta's card");

        Assert.Equal("churn-risk", card.Attributes["contextpush.push_id"]);
        Assert.Equal("990005", card.Attributes["contextpush.account_key"]);
        Assert.Equal(button.TraceParent!.Split('-')[1], card.TraceId);
    }

    [Fact]
    public async Task The_dashboard_shows_a_deltas_trace_across_the_four_services_in_a_browser()
    {
        var (_, button) = await OneDelta.DeliverAsync(System, 990004, "Dashboard Dynamics", SharedContextPush.Patience);
        var traceId = button.TraceParent!.Split('-')[1];
        await shared.Telemetry.WaitForDeltaTraceAsync(traceId, button.DeltaId.ToString(), Pipeline);
        // Kept with the test output, for a person to look at.
        var screenshot = Path.Combine(AppContext.BaseDirectory, "test-artifacts", "dashboard-trace.png");
        Directory.CreateDirectory(Path.GetDirectoryName(screenshot)!);
        File.Delete(screenshot);

        var page = await BrowserScript.RunAsync("dashboard-trace.mjs", shared.Telemetry.Dashboard.ToString(), shared.BrowserToken, traceId, screenshot,
            string.Join(',', Pipeline));

        var lines = page.Split('\n').Select(l => l.Trim()).ToList();
        Assert.Contains("delta entered", lines); // the Detector's root span
        Assert.Contains("dispatcher-delivery-approved process", lines);
        Assert.All(Pipeline, service => Assert.Contains(service, lines));
        Assert.True(new FileInfo(screenshot).Length > 10_000, "the screenshot of the trace is empty");
    }

    [Fact]
    public async Task The_dispatchers_recent_cards_page_draws_the_delivered_card_as_Block_Kit()
    {
        await OneDelta.DeliverAsync(System, 990006, "Card Preview Co", SharedContextPush.Patience);

        var page = await System.Http.GetStringAsync(new Uri(System.Url("dispatcher"), "/cards"), TestContext.Current.CancellationToken);

        Assert.Contains("Card Preview Co", page);
        Assert.Contains("<span class=\"btn primary\">Mark as reviewed</span>", page);
        Assert.Contains("push <b>churn-risk</b>", page);
    }
}
