using ContextPush.ComponentTests.Consumers;
using ContextPush.Contracts;
using ContextPush.Dispatcher.Crm;
using ContextPush.Testing.Fakes;
using MassTransit.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ContextPush.ComponentTests.Dispatcher;

/// <summary>
/// The Dispatcher as composed in production (under MassTransit's harness), a push with
/// delivery.crm.system: hubspot, and a fake HubSpot that speaks CRM v3 tasks and its rate limit.
/// </summary>
public sealed class HubSpotTaskDeliveryTests(ServersFixture fixture) : IAsyncLifetime
{
    private static readonly Dictionary<string, string> CrmPush = new()
    {
        ["delivery:channel"] = "console", ["delivery:crm:system"] = "hubspot", ["delivery:crm:priority"] = "high", ["delivery:crm:due_in_days"] = "2",
        ["delivery:crm:fields:churn_probability"] = "churn_risk",
    };

    private FakeHubSpot _hubSpot = null!;
    private ServiceUnderHarness _dispatcher = null!;

    private CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _hubSpot = await FakeHubSpot.StartAsync();
        _dispatcher = await DispatcherWithCrm.StartAsync(fixture, new()
        {
            ["Dispatcher:HubSpot:BaseUrl"] = _hubSpot.BaseUrl.ToString(),
            ["Dispatcher:HubSpot:AccessToken"] = _hubSpot.Token,
            ["Dispatcher:HubSpot:RequestsPerSecond"] = "20",
            // Polled by the test, so each poll's outcome is its own.
            ["Dispatcher:HubSpot:CompletionPollInterval"] = "01:00:00",
        });
    }

    public async ValueTask DisposeAsync()
    {
        await _dispatcher.DisposeAsync();
        await _hubSpot.DisposeAsync();
    }

    [Fact]
    public async Task A_delta_becomes_one_task_on_its_company_whose_completion_by_a_user_is_announced_and_whose_resolution_completes_it()
    {
        var watch = _dispatcher.Services.GetRequiredService<CrmCompletionWatch>();
        _hubSpot.Companies["501"] = new() { ["name"] = "Acme" };
        _hubSpot.Companies["502"] = new() { ["name"] = "Globex" };
        var completed = Approval("H-1", "501");
        var resolved = Approval("H-2", "502");
        await _dispatcher.Harness.Bus.Publish(completed, Ct);
        await _dispatcher.Harness.Bus.Publish(resolved, Ct);
        await Eventually.UntilAsync("both tasks written", () => Task.FromResult(_hubSpot.TaskOf(completed.DeltaId) is not null && _hubSpot.TaskOf(resolved.DeltaId) is not null));
        // The same approval again: its card and its task are each already done.
        await _dispatcher.Harness.Bus.Publish(completed, Ct);
        await Eventually.UntilAsync("the repeated approval consumed", () => Task.FromResult(
            _dispatcher.Harness.Consumed.Select<DeliveryApproved>(m => m.Context.Message.DeltaId == completed.DeltaId, Ct).Count() >= 2));
        await watch.PollAsync("hubspot", Ct);
        var (taskId, task) = _hubSpot.TaskOf(completed.DeltaId)!.Value;
        _hubSpot.CompleteTask(taskId, byUserId: "7001");
        var second = DateTime.UtcNow.Second;
        await Eventually.UntilAsync("the clock in the next second", () => Task.FromResult(DateTime.UtcNow.Second != second));
        var announced = await watch.PollAsync("hubspot", Ct);
        await _dispatcher.Harness.Bus.Publish(Approval("H-2", "502", DeltaKind.Left), Ct);
        var closed = await Eventually.GetAsync("the resolved company's task completed", () => Task.FromResult(_hubSpot.TaskOf(resolved.DeltaId)!.Value.Properties),
            t => (string?)t["hs_task_status"] == "COMPLETED");
        var ours = await watch.PollAsync("hubspot", Ct);

        Assert.Equal((1, 0), (announced, ours));
        Assert.Equal(2, _hubSpot.Tasks.Count);
        Assert.Equal(["501"], _hubSpot.TaskCompanies[taskId]);
        Assert.Equal(("Acme: churn probability 93%", "HIGH", "NOT_STARTED", "21"), ((string?)task["hs_task_subject"], (string?)task["hs_task_priority"],
            "NOT_STARTED", (string?)task["hubspot_owner_id"]));
        Assert.StartsWith("<p>Owner: Rita &lt;Owner&gt;</p><p>Mark as reviewed or snooze: https://contextpush.example.com/a/", (string?)task["hs_task_body"]);
        var message = Assert.Single(_dispatcher.Harness.Published.Select<CrmTaskCompleted>(Ct)).Context.Message;
        Assert.Equal((completed.DeltaId, "hubspot", "7001", taskId), (message.DeltaId, message.System, message.CompletedById, message.TaskId));
        Assert.Contains("</p><p>Resolved ", (string?)closed["hs_task_body"]);
        Assert.Equal("0.93", _hubSpot.Companies["501"]["churn_risk"]);
    }

    [Fact]
    public async Task Past_the_ten_second_limit_tasks_wait_and_are_each_written_once_while_their_cards_go_out()
    {
        _hubSpot.RequestsPerTenSeconds = 4;
        var approvals = Enumerable.Range(1, 3).Select(i => Approval($"R-{i}", "601")).ToList();
        _hubSpot.Companies["601"] = new() { ["name"] = "Initech" };
        foreach (var approved in approvals)
        {
            await _dispatcher.Harness.Bus.Publish(approved, Ct);
        }

        await Eventually.UntilAsync("every card delivered", () => Task.FromResult(
            approvals.All(a => _dispatcher.Harness.Published.Select<Delivered>(m => m.Context.Message.DeltaId == a.DeltaId, Ct).Any())));
        await Eventually.UntilAsync("every task written and associated once HubSpot allows it", () => Task.FromResult(
            approvals.All(a => _hubSpot.TaskOf(a.DeltaId) is { } t && _hubSpot.TaskCompanies.ContainsKey(t.Id))), TimeSpan.FromSeconds(90));

        Assert.True(_hubSpot.RateLimitRefusals > 0, "the limit was reached");
        Assert.Equal(3, _hubSpot.Tasks.Count);
        Assert.All(approvals, a => Assert.Single(_dispatcher.Harness.Published.Select<Delivered>(m => m.Context.Message.DeltaId == a.DeltaId, Ct)));
    }

    [Fact]
    public async Task A_webhooks_nudge_reads_the_completion_at_once_instead_of_at_the_next_poll()
    {
        _hubSpot.Companies["701"] = new() { ["name"] = "Hooli" };
        var approved = Approval("W-1", "701");
        await _dispatcher.Harness.Bus.Publish(approved, Ct);
        var task = await Eventually.FindAsync("the task written and recorded",
            () => _dispatcher.Services.GetRequiredService<CrmTaskStore>().OfDeltaAsync(approved.DeltaId, Ct));
        var taskId = task.TaskId;
        _hubSpot.CompleteTask(taskId, byUserId: "7002");

        await _dispatcher.Harness.Bus.Publish(new CrmTasksChanged { System = "hubspot", TaskIds = [taskId], ReceivedAt = DateTimeOffset.UtcNow }, Ct);

        var completed = await Eventually.GetAsync("the completion announced", () => Task.FromResult(
            _dispatcher.Harness.Published.Select<CrmTaskCompleted>(m => m.Context.Message.DeltaId == approved.DeltaId, Ct).ToList()), l => l.Count > 0);
        Assert.Equal("7002", Assert.Single(completed).Context.Message.CompletedById);
    }

    [Fact]
    public async Task When_HubSpots_headers_say_the_window_is_used_up_every_call_waits_it_out_instead_of_meeting_a_429()
    {
        _hubSpot.Companies["801"] = new() { ["name"] = "Umbrella" };
        var tasks = _dispatcher.Services.GetRequiredService<ContextPush.Dispatcher.HubSpot.HubSpotTasks>();
        var settings = new CrmTaskSettings { System = "hubspot" };
        var page = new Uri("https://contextpush.example.com/a/token");
        // What the startup poll used is gone; then two calls a window.
        await Eventually.UntilAsync("the startup poll made and its window passed", () => Task.FromResult(
            _hubSpot.Faults.CallsTo("/crm/v3/objects/tasks/search") > 0 && !_hubSpot.HasCallsWithin(TimeSpan.FromSeconds(10))), TimeSpan.FromSeconds(30));
        _hubSpot.RequestsPerTenSeconds = 2;

        // Each task is two calls (upsert, association): the second task's first call meets a used-up window.
        await tasks.WriteAsync(Approval("L-1", "801"), settings, page, Ct);
        await tasks.WriteAsync(Approval("L-2", "801"), settings, page, Ct);

        Assert.Equal(0, _hubSpot.RateLimitRefusals);
        Assert.Equal(2, _hubSpot.Tasks.Count);
    }

    private static DeliveryApproved Approval(string accountKey, string companyId, DeltaKind kind = DeltaKind.Entered)
    {
        var delta = TestMessages.Delta("hubspot-push", accountKey, 0.93m, kind, settings: CrmPush);
        return new DeliveryApproved
        {
            CorrelationId = delta.CorrelationId, DeltaId = delta.DeltaId, Delta = delta, ApprovedAt = DateTimeOffset.UtcNow,
            Context = new AssembledContext
            {
                AccountName = "Acme", Headline = kind == DeltaKind.Left ? "Acme left the cohort" : "Acme: churn probability 93%", Tickets = [], Links = [],
                Missing = [], Lines = ["Owner: Rita <Owner>"], Crm = new CrmAccount("hubspot", companyId, "21"),
            },
        };
    }
}
