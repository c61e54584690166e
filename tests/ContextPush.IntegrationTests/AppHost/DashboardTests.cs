using ContextPush.IntegrationTests.Fakes;

namespace ContextPush.IntegrationTests.AppHost;

/// <summary>The AppHost's dashboard, driven in headless Chromium the way on-call uses it: find a delta's trace and read it.</summary>
public class DashboardTests(ServersFixture fixture)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task The_dashboard_shows_the_resources_their_console_a_deltas_trace_across_the_services_and_its_card()
    {
        await using var system = await RunningContextPush.StartAsync(fixture, "dashboard");
        var deltaId = (await OneDelta.DeliverAsync(system, 990004, "Dashboard Dynamics", Patience)).Button.DeltaId.ToString();
        var spans = await TracingTests.WaitForAsync(system.App.Traces, deltaId, ["detector", "assembler", "throttler", "dispatcher"]);
        var traceId = spans.First(s => s.Attributes.GetValueOrDefault("contextpush.delta_id") == deltaId).TraceId;
        var dashboard = system.App.DashboardUrl!;

        var resources = await HeadlessChromium.DomAsync(dashboard);
        foreach (var service in new[] { "detector", "assembler", "throttler", "dispatcher", "callbacks", "messaging", "postgres", "cache" })
        {
            Assert.Contains($"data-resource=\"{service}\"", resources);
        }

        Assert.Contains("Healthy", resources);
        Assert.DoesNotContain("not answering", resources);
        Assert.Contains($"<td>{system.App.Project("dispatcher").Instances[0].ProcessId}</td>", resources);

        var console = await HeadlessChromium.DomAsync(new Uri(dashboard, "/console/apphost"));
        Assert.Contains("dispatcher is running at", console);

        var search = await HeadlessChromium.DomAsync(new Uri(dashboard, $"/traces?q={deltaId}"));
        Assert.Contains($"/traces/{traceId}", search);

        var waterfall = new Uri(dashboard, $"/traces/{traceId}");
        var trace = await HeadlessChromium.DomAsync(waterfall);
        foreach (var service in new[] { "detector", "assembler", "throttler", "dispatcher" })
        {
            Assert.Contains($"data-service=\"{service}\"", trace);
        }

        Assert.Contains(deltaId, trace);
        Assert.Contains("contextpush.account_key", trace);

        var cards = await HeadlessChromium.DomAsync(new Uri(dashboard, "/cards"));
        Assert.Contains("Dashboard Dynamics", cards);
        Assert.Contains("Mark as reviewed", cards);

        // Kept with the test output, for a person to look at.
        var screenshot = Path.Combine(AppContext.BaseDirectory, "test-artifacts", "dashboard-trace.png");
        Directory.CreateDirectory(Path.GetDirectoryName(screenshot)!);
        File.Delete(screenshot);
        await HeadlessChromium.ScreenshotAsync(waterfall, screenshot);
        Assert.True(new FileInfo(screenshot).Length > 10_000, "the screenshot of the waterfall is empty");
        await HeadlessChromium.ScreenshotAsync(new Uri(dashboard, "/cards"), Path.Combine(AppContext.BaseDirectory, "test-artifacts", "dashboard-cards.png"));
    }
}
