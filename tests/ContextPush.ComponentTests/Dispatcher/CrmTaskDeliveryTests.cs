using ContextPush.ComponentTests.Consumers;
using ContextPush.Contracts;
using ContextPush.Dispatcher.Crm;
using ContextPush.Testing.Fakes;
using MassTransit.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace ContextPush.ComponentTests.Dispatcher;

/// <summary>
/// The Dispatcher as composed in production (under MassTransit's harness), a push with delivery.crm, and
/// a fake Salesforce: the task is its own delivery beside the card, follows the card, and comes back
/// when the owner completes it.
/// </summary>
public sealed class CrmTaskDeliveryTests(ServersFixture fixture) : IAsyncLifetime
{
    private static readonly Dictionary<string, string> CrmPush = new() { ["delivery:channel"] = "console", ["delivery:crm:system"] = "salesforce" };
    private FakeSalesforce _salesforce = null!;
    private ServiceUnderHarness _dispatcher = null!;

    private CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _salesforce = await FakeSalesforce.StartAsync();
        _dispatcher = await DispatcherWithCrm.StartAsync(fixture, new()
        {
            ["Dispatcher:Salesforce:LoginUrl"] = _salesforce.InstanceUrl.ToString(),
            ["Dispatcher:Salesforce:ClientId"] = _salesforce.ClientId,
            ["Dispatcher:Salesforce:ClientSecret"] = _salesforce.ClientSecret,
            // Polled by the test, so each poll's outcome is its own.
            ["Dispatcher:Salesforce:CompletionPollInterval"] = "01:00:00",
        });
    }

    public async ValueTask DisposeAsync()
    {
        await _dispatcher.DisposeAsync();
        await _salesforce.DisposeAsync();
    }

    [Fact]
    public async Task The_owners_completion_is_announced_once_even_a_second_after_the_last_poll_and_one_ContextPush_made_is_not()
    {
        var watch = _dispatcher.Services.GetRequiredService<CrmCompletionWatch>();
        var byOwner = await DeliverAsync("A-1");
        var byUs = await DeliverAsync("A-2");
        await watch.PollAsync("salesforce", Ct);

        _salesforce.CompleteTask(TaskIdOf(byOwner));
        // The next poll in a later second than the watermark, as polls a minute apart are.
        var second = DateTime.UtcNow.Second;
        await Eventually.UntilAsync("the clock in the next second", () => Task.FromResult(DateTime.UtcNow.Second != second));
        var announced = await watch.PollAsync("salesforce", Ct);
        var again = await watch.PollAsync("salesforce", Ct);
        await _dispatcher.Harness.Bus.Publish(Action(byUs, CardAction.Reviewed), Ct);
        await Eventually.UntilAsync("the reviewed card's task completed", () => Task.FromResult((string?)_salesforce.TaskOf(byUs.DeltaId)!["Status"] == "Completed"));
        var ours = await watch.PollAsync("salesforce", Ct);

        Assert.Equal((1, 0, 0), (announced, again, ours));
        var completed = Assert.Single(_dispatcher.Harness.Published.Select<CrmTaskCompleted>(Ct)).Context.Message;
        Assert.Equal((byOwner.DeltaId, "salesforce", "005OLGA", "Olga Owner"), (completed.DeltaId, completed.System, completed.CompletedById, completed.CompletedByName));
        Assert.Equal((byOwner.Delta.PushId, byOwner.Delta.AccountKey, TaskIdOf(byOwner)), (completed.PushId, completed.AccountKey, completed.TaskId));
        Assert.True(completed.CompletedAt >= completed.DeliveredAt);
        Assert.EndsWith("in slack by Rita Reviewer", (string?)_salesforce.TaskOf(byUs.DeltaId)!["Description"]);
    }

    [Fact]
    public async Task A_snooze_moves_the_due_date_and_a_resolution_completes_the_task_with_a_note()
    {
        var approved = await DeliverAsync("B-1");
        await _dispatcher.Harness.Bus.Publish(Action(approved, CardAction.Snoozed) with { SnoozeDays = 7, ActedAt = new DateTimeOffset(2026, 12, 1, 10, 0, 0, TimeSpan.Zero) }, Ct);
        await Eventually.UntilAsync("the task's due date moved", () => Task.FromResult((string?)_salesforce.TaskOf(approved.DeltaId)!["ActivityDate"] == "2026-12-08"));

        var left = Approval("B-1", DeltaKind.Left);
        await _dispatcher.Harness.Bus.Publish(left, Ct);
        var task = await Eventually.GetAsync("the task completed on resolution", () => Task.FromResult(_salesforce.TaskOf(approved.DeltaId)!),
            t => (string?)t["Status"] == "Completed");

        Assert.StartsWith("Owner: Olga Owner\n\nMark as reviewed or snooze: https://contextpush.example.com/a/", (string?)task["Description"]);
        Assert.Contains("\n\nResolved ", (string?)task["Description"]);
        Assert.EndsWith("by ContextPush: Acme left the cohort", (string?)task["Description"]);
        Assert.Equal(("salesforce", TaskIdOf(approved)), await ScalarsAsync<string, string>(
            "SELECT channel, message_id FROM deliveries WHERE delta_of = @delta AND status = 'delivered'", left.DeltaId));
        Assert.Single(_salesforce.Tasks);
    }

    [Fact]
    public async Task Salesforce_down_postpones_the_task_alone_and_a_refusal_records_it_failed_while_each_card_goes_out_once()
    {
        // As many 503s as the HTTP client's own retries absorb, so the attempt itself fails and is postponed.
        _salesforce.Faults.FailNext(4, 503);
        var postponed = Approval("C-1");
        await _dispatcher.Harness.Bus.Publish(postponed, Ct);
        await Eventually.UntilAsync("the card delivered while Salesforce is down",
            () => Task.FromResult(_dispatcher.Harness.Published.Select<Delivered>(m => m.Context.Message.DeltaId == postponed.DeltaId, Ct).Any()));
        var task = await Eventually.FindAsync("the task written once Salesforce is back", () => Task.FromResult(_salesforce.TaskOf(postponed.DeltaId)));

        _salesforce.DeletedAccounts["001C2"] = true;
        var refused = Approval("C-2", account: "001C2");
        await _dispatcher.Harness.Bus.Publish(refused, Ct);
        var error = await Eventually.GetAsync("the refused task recorded", () => ScalarsAsync<string?, string?>(
                "SELECT status, error FROM deliveries WHERE delta_of = @delta", refused.DeltaId),
            row => row.Item1 == "failed");

        Assert.Equal("ENTITY_IS_DELETED: entity is deleted", error.Item2);
        Assert.Single(_dispatcher.Harness.Published.Select<Delivered>(m => m.Context.Message.DeltaId == postponed.DeltaId, Ct));
        Assert.Single(_dispatcher.Harness.Published.Select<Delivered>(m => m.Context.Message.DeltaId == refused.DeltaId, Ct));
        Assert.Empty(_dispatcher.Harness.Published.Select<DeliveryFailed>(Ct));
        Assert.Equal(((string?)"delivered", (string?)null), await ScalarsAsync<string?, string?>("SELECT status, error FROM deliveries WHERE delta_of = @delta", postponed.DeltaId));
        Assert.NotNull(task);
        Assert.Single(_salesforce.Tasks);
    }

    [Fact]
    public async Task A_task_given_up_after_the_horizon_is_parked_as_a_failed_task_and_not_as_a_failed_card()
    {
        await using var dispatcher = await DispatcherWithCrm.StartAsync(fixture, new()
        {
            ["Dispatcher:Salesforce:LoginUrl"] = _salesforce.InstanceUrl.ToString(),
            ["Dispatcher:Salesforce:ClientId"] = _salesforce.ClientId,
            ["Dispatcher:Salesforce:ClientSecret"] = _salesforce.ClientSecret,
            ["Dispatcher:Salesforce:CompletionPollInterval"] = "01:00:00",
            ["Dispatcher:Redelivery:Horizon"] = "00:00:00",
        });
        _salesforce.Faults.FailNext(1_000, 503);
        var approved = Approval("D-1");

        await dispatcher.Harness.Bus.Publish(approved, Ct);
        await Eventually.UntilAsync("the task's fault published", () => Task.FromResult(
            dispatcher.Harness.Published.Select<MassTransit.Fault<CrmTaskDue>>(m => m.Context.Message.Message.Approved.DeltaId == approved.DeltaId, Ct).Any()));
        await dispatcher.Harness.InactivityTask.WaitAsync(TimeSpan.FromSeconds(30), Ct);

        Assert.Single(dispatcher.Harness.Published.Select<Delivered>(m => m.Context.Message.DeltaId == approved.DeltaId, Ct));
        Assert.Empty(dispatcher.Harness.Published.Select<DeliveryFailed>(Ct));
        var (status, error) = await ScalarsAsync<string?, string?>("SELECT status, error FROM deliveries WHERE delta_of = @delta", approved.DeltaId, dispatcher);
        Assert.Equal("failed", status);
        Assert.StartsWith("gave up on ", error);
        Assert.Equal("delivered", (await ScalarsAsync<string?, string?>("SELECT status, error FROM deliveries WHERE delta_id = @delta", approved.DeltaId, dispatcher)).Item1);
    }

    [Fact]
    public async Task Chosen_metrics_are_written_onto_the_account_and_a_field_the_org_lacks_is_refused_in_its_words()
    {
        _salesforce.Accounts["001E1"] = ("Acme", "E-1", "Olga Owner", "olga@example.com");
        _salesforce.Accounts["001E2"] = ("Globex", "E-2", "Olga Owner", "olga@example.com");
        var synced = Approval("E-1", settings: new(CrmPush) { ["delivery:crm:fields:churn_probability"] = "Churn_Risk__c" });
        var missing = Approval("E-2", settings: new(CrmPush) { ["delivery:crm:fields:churn_probability"] = "Churn_Score__c" });

        await _dispatcher.Harness.Bus.Publish(synced, Ct);
        await _dispatcher.Harness.Bus.Publish(missing, Ct);
        await Eventually.UntilAsync("the field written", () => Task.FromResult(_salesforce.AccountFieldValues.ContainsKey("001E1")));
        var refused = await Eventually.GetAsync("the missing field refused", () => ScalarsAsync<string?, string?>(
            "SELECT status, error FROM deliveries WHERE delta_of = @delta", missing.DeltaId), row => row.Item1 == "failed");

        Assert.Equal(0.93m, (decimal?)_salesforce.AccountFieldValues["001E1"]["Churn_Risk__c"]);
        Assert.Equal("INVALID_FIELD: No such column 'Churn_Score__c' on sobject of type Account", refused.Item2);
        Assert.False(_salesforce.AccountFieldValues.ContainsKey("001E2"));
    }

    private async Task<DeliveryApproved> DeliverAsync(string accountKey)
    {
        var approved = Approval(accountKey);
        await _dispatcher.Harness.Bus.Publish(approved, Ct);
        await Eventually.FindAsync($"the task of {accountKey}", () => Task.FromResult(_salesforce.TaskOf(approved.DeltaId)));
        await Eventually.UntilAsync($"the task of {accountKey} recorded", async () =>
            (await ScalarsAsync<string?, string?>("SELECT status, message_id FROM deliveries WHERE delta_of = @delta", approved.DeltaId)).Item1 == "delivered");
        return approved;
    }

    private string TaskIdOf(DeliveryApproved approved) => _salesforce.Tasks.Single(t => (string?)t.Value["ContextPush_Delta_Id__c"] == approved.DeltaId.ToString()).Key;

    private static DeliveryApproved Approval(string accountKey, DeltaKind kind = DeltaKind.Entered, string? account = null,
        Dictionary<string, string>? settings = null)
    {
        var delta = TestMessages.Delta("crm-push", accountKey, 0.93m, kind, settings: settings ?? CrmPush);
        return new DeliveryApproved
        {
            CorrelationId = delta.CorrelationId, DeltaId = delta.DeltaId, Delta = delta, ApprovedAt = DateTimeOffset.UtcNow,
            Context = new AssembledContext
            {
                AccountName = "Acme", Headline = kind == DeltaKind.Left ? "Acme left the cohort" : "Acme: churn probability 93%", Tickets = [], Links = [],
                Missing = [], Lines = ["Owner: Olga Owner"], Crm = new CrmAccount("salesforce", account ?? $"001{accountKey.Replace("-", "")}", "005OLGA"),
            },
        };
    }

    private static CardActioned Action(DeliveryApproved approved, CardAction action) => new()
    {
        CorrelationId = approved.CorrelationId, DeltaId = approved.DeltaId, PushId = approved.Delta.PushId, AccountKey = approved.Delta.AccountKey,
        Action = action, ActorId = "U0RITA", ActorName = "Rita Reviewer", ActedAt = DateTimeOffset.UtcNow, Channel = "slack",
    };

    private async Task<(T1, T2)> ScalarsAsync<T1, T2>(string sql, Guid delta, ServiceUnderHarness? dispatcher = null)
    {
        await using var data = NpgsqlDataSource.Create((dispatcher ?? _dispatcher).Services.GetRequiredService<IConfiguration>().GetConnectionString("dispatcherdb")!);
        await using var command = data.CreateCommand(sql);
        command.Parameters.AddWithValue("delta", delta);
        await using var reader = await command.ExecuteReaderAsync(Ct);
        return await reader.ReadAsync(Ct)
            ? ((T1)(reader.IsDBNull(0) ? default(T1)! : reader.GetValue(0)), (T2)(reader.IsDBNull(1) ? default(T2)! : reader.GetValue(1)))
            : (default!, default!);
    }
}
