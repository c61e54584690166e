using System.Net;
using ContextPush.AppHost.Telemetry;
using ContextPush.IntegrationTests.Fakes;

namespace ContextPush.IntegrationTests;

/// <summary>On-call follows one delta: one trace across the services, exported over OTLP to the AppHost.</summary>
public class TracingTests(ServersFixture fixture)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task One_deltas_trace_spans_all_four_pipeline_services_with_its_attributes_and_a_later_click_links_to_it()
    {
        await using var system = await RunningContextPush.StartAsync(fixture, "tracing");
        var (value, button) = await OneDelta.DeliverAsync(system, 990003, "Trace Labs", Patience);
        var deltaId = button.DeltaId.ToString();

        var spans = await WaitForAsync(system.App.Traces, deltaId, ["detector", "assembler", "throttler", "dispatcher"]);

        var tagged = spans.Where(s => s.Attributes.GetValueOrDefault("contextpush.delta_id") == deltaId).ToList();
        Assert.Single(tagged.Select(s => s.TraceId).Distinct());
        Assert.Equal(["assembler", "detector", "dispatcher", "throttler"], tagged.Select(s => s.Service).Distinct().Order());
        Assert.All(tagged, s =>
        {
            Assert.Equal("churn-risk", s.Attributes.GetValueOrDefault("contextpush.push_id"));
            Assert.Equal("990003", s.Attributes.GetValueOrDefault("contextpush.account_key"));
        });
        Assert.Contains(spans, s => s.Service == "dispatcher" && s.Name.Contains("POST", StringComparison.Ordinal)); // the Slack call
        Assert.Contains(spans, s => s.Service == "assembler" && (s.Attributes.ContainsKey("db.query.text") || s.Attributes.ContainsKey("db.statement"))); // its SQL
        Assert.Contains(spans, s => s.Service == "throttler" && s.Attributes.GetValueOrDefault("db.system") == "redis"); // the cap's claim
        var traceId = tagged[0].TraceId;
        Assert.Equal(traceId, button.TraceParent!.Split('-')[1]);

        using (var click = SlackInteractionRequest.BlockActions(new Uri(system.Url("callbacks"), "/slack/interactions"), RunningContextPush.SigningSecret,
                   "U0TRACER", "mark_reviewed", value, "1700000010.000001"))
        using (var answer = await system.Http.SendAsync(click, TestContext.Current.CancellationToken))
        {
            Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        }

        var clickSpan = await WaitForSpanAsync(system.App.Traces, s => s.Service == "callbacks" && s.LinkedTraceIds.Contains(traceId));
        Assert.Equal(deltaId, clickSpan.Attributes["contextpush.delta_id"]);
    }

    internal static async Task<IReadOnlyList<TraceSpan>> WaitForAsync(TraceStore traces, string deltaId, string[] services)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            var spans = traces.Search(deltaId).SelectMany(traces.Trace).ToList();
            var seen = spans.Where(s => s.Attributes.GetValueOrDefault("contextpush.delta_id") == deltaId).Select(s => s.Service).ToHashSet();
            if (services.All(seen.Contains))
            {
                return spans;
            }

            Assert.True(DateTime.UtcNow < deadline, $"trace of {deltaId} has spans from [{string.Join(", ", seen)}] only; {traces.Count} traces received");
            await Task.Delay(200, TestContext.Current.CancellationToken);
        }
    }

    private static async Task<TraceSpan> WaitForSpanAsync(TraceStore traces, Func<TraceSpan, bool> match)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            if (traces.Search("callbacks").SelectMany(traces.Trace).FirstOrDefault(match) is { } span)
            {
                return span;
            }

            Assert.True(DateTime.UtcNow < deadline, "no callbacks span linked to the delivery's trace");
            await Task.Delay(200, TestContext.Current.CancellationToken);
        }
    }
}
