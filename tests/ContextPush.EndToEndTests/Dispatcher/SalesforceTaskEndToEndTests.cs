using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using ContextPush.Contracts;
using ContextPush.Testing.Fakes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ContextPush.EndToEndTests.Dispatcher;

/// <summary>
/// A push that delivers to Slack and, beside each card, a Salesforce task on the account: both exactly
/// once through a Dispatcher restart, the owner's completion in Salesforce taken as "Mark as reviewed",
/// and the account's resolution completing its task.
/// </summary>
public sealed class SalesforceTaskEndToEndTests(ServersFixture fixture)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private const string Push = """
        id: churn-risk
        cohort: |
          SELECT a.id AS account_id, a.churn_probability, a.usage_drop
          FROM accounts a WHERE a.churn_probability > 0.8 OR a.usage_drop > 0.2
        key: [account_id]
        metrics:
          - name: churn_probability
            tolerance: 0.05
          - name: usage_drop
            tolerance: 0.05
        schedule: "0 8 * * *"
        first_run: send
        context:
          owner: salesforce
          salesforce_match_field: AccountNumber
        delivery:
          slack:
            fallback_channel: "#customer-success"
          crm:
            system: salesforce
            due_in_days: 2
            priority: high
        """;

    [Fact]
    public async Task A_change_becomes_one_card_and_one_task_whose_completion_in_Salesforce_reviews_the_card_and_whose_resolution_completes_it()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var salesforce = await FakeSalesforce.StartAsync();
        await using var system = await RunningContextPush.StartAsync(fixture, "sftask",
            pushFiles: new Dictionary<string, string> { ["churn-risk.yaml"] = Push },
            configure: builder =>
            {
                builder.Service("assembler")
                    .WithEnvironment("Assembler__Salesforce__InstanceUrl", salesforce.InstanceUrl.ToString())
                    .WithEnvironment("Assembler__Salesforce__AccessToken", salesforce.Token);
                builder.Service("dispatcher")
                    .WithEnvironment("Dispatcher__Salesforce__LoginUrl", salesforce.InstanceUrl.ToString())
                    .WithEnvironment("Dispatcher__Salesforce__ClientId", salesforce.ClientId)
                    .WithEnvironment("Dispatcher__Salesforce__ClientSecret", salesforce.ClientSecret)
                    .WithEnvironment("Dispatcher__Salesforce__CompletionPollInterval", "00:00:01");
            });
        await using var observer = await MessageObserver.StartAsync(system.ConnectionString("messaging"));
        var cohort = (await system.ScalarAsync<string>("warehouse",
            "SELECT string_agg(id::text, ',' ORDER BY id) FROM accounts WHERE churn_probability > 0.8 OR usage_drop > 0.2")).Split(',');
        Assert.True(cohort.Length >= 3, $"the demo cohort has {cohort.Length} accounts");
        foreach (var id in cohort)
        {
            salesforce.Accounts[$"001{id.PadLeft(15, '0')}"] = ($"Account {id}", id, "Olga Owner", "olga@example.com");
        }

        system.Slack.Users["olga@example.com"] = "U0OLGA";

        // One account was deleted in Salesforce since: its task is refused, its card still goes out.
        var deleted = cohort[^1];
        salesforce.DeletedAccounts[$"001{deleted.PadLeft(15, '0')}"] = true;

        // The approvals wait in the Dispatcher's queues while it is down, and are delivered once it is back,
        // through a Salesforce that first answers 503: the tasks wait for it, the cards do not.
        await RestartDispatcherAsync(system, whileStopped: async () =>
        {
            await system.RunPushAsync();
            // Only once the Assembler has read its owners from the same fake Salesforce.
            await Eventually.UntilAsync("every delta approved", () => Task.FromResult(observer.Received<DeliveryApproved>(_ => true).Count == cohort.Length), Patience);
            salesforce.Faults.FailNext(6, 503);
        });
        var delivered = new List<Delivered>();
        foreach (var _ in cohort)
        {
            delivered.Add(await observer.WaitForAsync<Delivered>(d => delivered.All(seen => seen.DeltaId != d.DeltaId), Patience));
        }

        var tasked = delivered.Where(d => d.AccountKey != deleted).ToList();
        await Eventually.UntilAsync("a Salesforce task for every delta but the deleted account's",
            () => Task.FromResult(tasked.All(d => salesforce.TaskOf(d.DeltaId) is not null)), Patience);
        var refused = await Eventually.GetAsync("the deleted account's task recorded as refused", () => system.ScalarAsync<string>("dispatcherdb",
                "SELECT coalesce(max(error), '') FROM deliveries WHERE channel = 'salesforce' AND status = 'failed' AND account_key = @account", ("account", deleted)),
            error => error.Length > 0, Patience);
        await system.WaitUntilIdleAsync(Patience);
        await RestartDispatcherAsync(system, whileStopped: () => Task.CompletedTask);
        await system.WaitUntilIdleAsync(Patience);

        Assert.Equal("ENTITY_IS_DELETED: entity is deleted", refused);
        Assert.True(salesforce.Faults.CallsTo("/services/data") >= tasked.Count + 6, "Salesforce's 503s were answered");
        Assert.Equal(cohort.Length, system.Slack.Messages.Count);
        Assert.Equal(tasked.Count, salesforce.Tasks.Count);
        var first = tasked[0];
        var task = salesforce.TaskOf(first.DeltaId)!;
        Assert.Equal(($"001{first.AccountKey.PadLeft(15, '0')}", $"005001{first.AccountKey.PadLeft(15, '0')}", "High", "Not Started"),
            ((string?)task["WhatId"], (string?)task["OwnerId"], (string?)task["Priority"], (string?)task["Status"]));
        Assert.Contains("Mark as reviewed or snooze: http", (string?)task["Description"]);
        Assert.Equal(tasked.Count, await system.ScalarAsync<long>("dispatcherdb",
            "SELECT count(DISTINCT delta_of) FROM deliveries WHERE channel = 'salesforce' AND status = 'delivered'"));

        // The owner completes the first task in Salesforce: the card says so, and the same alert is not pushed again.
        var taskId = salesforce.Tasks.Single(t => ReferenceEquals(t.Value, task)).Key;
        salesforce.CompleteTask(taskId);
        var reviewed = await observer.WaitForAsync<CardActioned>(a => a.DeltaId == first.DeltaId, Patience);
        Assert.Equal((CardAction.Reviewed, "salesforce", (string?)task["OwnerId"], "Olga Owner"),
            (reviewed.Action, reviewed.Channel, reviewed.ActorId, reviewed.ActorName));
        Assert.NotNull(reviewed.TimeToAction);
        var update = await system.Slack.NextUpdateAsync(u => (string?)u["ts"] == first.MessageId, Patience);
        Assert.Contains("Reviewed (task completed in Salesforce) by Olga Owner", JsonText.All(update));
        var churn = await system.ScalarAsync<decimal>("warehouse", $"SELECT churn_probability FROM accounts WHERE id = {first.AccountKey}");
        var next = TestMessages.Delta(RunningContextPush.PushId, first.AccountKey, churn, DeltaKind.Changed,
            previous: new Dictionary<string, decimal?> { ["churn_probability"] = churn - 0.2m });
        await observer.Publisher.Publish(next, ct);
        Assert.Equal("reviewed", (await observer.WaitForAsync<DeliverySuppressed>(s => s.DeltaId == next.DeltaId, Patience)).Reason);

        // Another account leaves the cohort: its task is completed by ContextPush, which is not taken for a review.
        var resolved = tasked[1];
        await system.ExecuteAsync("warehouse", $"UPDATE accounts SET churn_probability = 0.1, usage_drop = 0 WHERE id = {resolved.AccountKey}");
        await system.RunPushAsync();
        var closed = await Eventually.GetAsync("the resolved account's task completed", () => Task.FromResult(salesforce.TaskOf(resolved.DeltaId)!),
            t => (string?)t["Status"] == "Completed", Patience);
        Assert.Contains("Resolved ", (string?)closed["Description"]);
        Assert.Contains("by ContextPush", (string?)closed["Description"]);
        var closedAt = DateTimeOffset.Parse(((string)closed["SystemModstamp"]!).Replace("+0000", "Z"), System.Globalization.CultureInfo.InvariantCulture);
        await Eventually.UntilAsync("the completion watch reading past the resolution", async () =>
            await system.ScalarAsync<bool>("dispatcherdb", "SELECT coalesce(max(watermark) >= @closed, false) FROM crm_watermarks", ("closed", closedAt)), Patience);
        await system.WaitUntilIdleAsync(Patience);
        Assert.Empty(observer.Received<CardActioned>(a => a.DeltaId == resolved.DeltaId));
        Assert.Equal(1L, await system.ScalarAsync<long>("callbacksdb", "SELECT count(*) FROM card_actions WHERE channel = 'salesforce'"));
        Assert.Equal(tasked.Count, salesforce.Tasks.Count);
    }

    private static async Task RestartDispatcherAsync(RunningContextPush system, Func<Task> whileStopped)
    {
        var commands = system.App.Services.GetRequiredService<ResourceCommandService>();
        var ct = TestContext.Current.CancellationToken;
        Assert.True((await commands.ExecuteCommandAsync("dispatcher", KnownResourceCommands.StopCommand, ct)).Success);
        await Eventually.UntilAsync("the dispatcher stopped", () => Task.FromResult(
            system.App.ResourceNotifications.TryGetCurrentState("dispatcher", out var s) && s.Snapshot.State?.Text is "Exited" or "Finished"), Patience);
        await whileStopped();
        Assert.True((await commands.ExecuteCommandAsync("dispatcher", KnownResourceCommands.StartCommand, ct)).Success);
        await Eventually.UntilAsync("the dispatcher running and healthy again", () => Task.FromResult(
            system.App.ResourceNotifications.TryGetCurrentState("dispatcher", out var s) && s.Snapshot.State?.Text == "Running"
            && s.Snapshot.HealthStatus == HealthStatus.Healthy), TimeSpan.FromSeconds(90));
    }
}
