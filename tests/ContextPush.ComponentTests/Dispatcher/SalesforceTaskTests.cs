using ContextPush.Contracts;
using ContextPush.Dispatcher;
using ContextPush.Dispatcher.Delivery;
using ContextPush.Dispatcher.Salesforce;
using ContextPush.Testing.Fakes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Refit;

namespace ContextPush.ComponentTests.Dispatcher;

/// <summary>Tasks written into Salesforce, against a fake that speaks its token endpoint, upsert and limits.</summary>
public sealed class SalesforceTaskTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);
    private FakeSalesforce _salesforce = null!;
    private ServiceProvider _metrics = null!;

    public async ValueTask InitializeAsync()
    {
        _salesforce = await FakeSalesforce.StartAsync();
        _salesforce.Accounts["001ACME"] = ("Acme", "A-1", "Olga Owner", "olga@example.com");
        _metrics = new ServiceCollection().AddMetrics().BuildServiceProvider();
    }

    public async ValueTask DisposeAsync()
    {
        await _salesforce.DisposeAsync();
        await _metrics.DisposeAsync();
    }

    private (SalesforceTasks Tasks, SalesforceLimits Limits) Writer(string? secret = null)
    {
        var options = Options.Create(new DispatcherOptions
        {
            Salesforce = new SalesforceOptions { LoginUrl = _salesforce.InstanceUrl, ClientId = _salesforce.ClientId, ClientSecret = secret ?? _salesforce.ClientSecret },
        });
        var api = RestService.For<ISalesforceTasksApi>(new HttpClient { BaseAddress = _salesforce.InstanceUrl });
        var clock = new ManualClock(Now);
        var limits = new SalesforceLimits(_metrics.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(), clock);
        return (new SalesforceTasks(api, new SalesforceSession(api, options), limits, options, clock), limits);
    }

    private static DeliveryApproved Approved(string account = "001ACME", string? owner = "005OLGA")
    {
        var delta = TestMessages.Delta("churn-risk", "A-1", 0.93m);
        return new DeliveryApproved
        {
            CorrelationId = delta.CorrelationId, DeltaId = delta.DeltaId, Delta = delta, ApprovedAt = Now,
            Context = new AssembledContext
            {
                AccountName = "Acme", Headline = "Acme: churn probability 93%", Tickets = [], Links = [], Missing = [],
                Lines = ["Owner: Olga Owner (olga@example.com)", "Tickets: none"],
                Crm = new CrmAccount("salesforce", account, owner),
            },
        };
    }

    [Fact]
    public async Task A_delta_becomes_one_task_on_its_account_for_its_owner_and_a_retry_updates_it()
    {
        var (tasks, limits) = Writer();
        var approved = Approved();
        var page = new Uri("https://contextpush.example.com/a/v1.token");

        var first = await tasks.UpsertAsync(approved, 3, "High", page, TestContext.Current.CancellationToken);
        var again = await tasks.UpsertAsync(approved, 3, "High", page, TestContext.Current.CancellationToken);

        Assert.True(first.Created);
        Assert.False(again.Created);
        Assert.Equal(first.TaskId, again.TaskId);
        var task = Assert.Single(_salesforce.Tasks).Value;
        Assert.Equal(approved.DeltaId.ToString(), (string?)task["ContextPush_Delta_Id__c"]);
        Assert.Equal(("001ACME", "005OLGA", "Acme: churn probability 93%"), ((string?)task["WhatId"], (string?)task["OwnerId"], (string?)task["Subject"]));
        Assert.Equal(("2026-12-04", "High", "Not Started"), ((string?)task["ActivityDate"], (string?)task["Priority"], (string?)task["Status"]));
        Assert.Equal("Owner: Olga Owner (olga@example.com)\nTickets: none\n\nMark as reviewed or snooze: https://contextpush.example.com/a/v1.token",
            (string?)task["Description"]);
        Assert.Equal(1, _salesforce.TokensIssued);
        Assert.Equal((2L, 15_000L), limits.Last);
    }

    [Fact]
    public async Task An_ended_session_is_replaced_once_and_the_task_still_written()
    {
        var (tasks, _) = Writer();
        await tasks.UpsertAsync(Approved(), 3, "Normal", null, TestContext.Current.CancellationToken);
        _salesforce.ExpireSessions();

        await tasks.UpsertAsync(Approved(), 3, "Normal", null, TestContext.Current.CancellationToken);

        Assert.Equal(2, _salesforce.Tasks.Count);
        Assert.Equal(2, _salesforce.TokensIssued);
    }

    [Fact]
    public async Task Refusals_are_permanent_in_salesforces_words()
    {
        var (tasks, _) = Writer();
        _salesforce.DeletedAccounts["001GONE"] = true;
        var duplicated = Approved();
        _salesforce.Tasks["00TDUP1"] = new() { ["ContextPush_Delta_Id__c"] = duplicated.DeltaId.ToString() };
        _salesforce.Tasks["00TDUP2"] = new() { ["ContextPush_Delta_Id__c"] = duplicated.DeltaId.ToString() };

        var deleted = await Assert.ThrowsAsync<DeliveryRejectedException>(() =>
            tasks.UpsertAsync(Approved("001GONE"), 3, "Normal", null, TestContext.Current.CancellationToken));
        var twice = await Assert.ThrowsAsync<DeliveryRejectedException>(() =>
            tasks.UpsertAsync(duplicated, 3, "Normal", null, TestContext.Current.CancellationToken));
        var wrongSecret = await Assert.ThrowsAsync<DeliveryRejectedException>(() =>
            Writer("not-the-secret").Tasks.UpsertAsync(Approved(), 3, "Normal", null, TestContext.Current.CancellationToken));
        _salesforce.TaskExternalIdField = "Other_Id__c";
        var field = await Assert.ThrowsAsync<DeliveryRejectedException>(() =>
            tasks.UpsertAsync(Approved(), 3, "Normal", null, TestContext.Current.CancellationToken));
        var noIds = await Assert.ThrowsAsync<DeliveryRejectedException>(() =>
            tasks.UpsertAsync(Approved() with { Context = Approved().Context with { Crm = null } }, 3, "Normal", null, TestContext.Current.CancellationToken));

        Assert.Equal(("salesforce", "001GONE", "ENTITY_IS_DELETED: entity is deleted"), (deleted.Channel, deleted.Destination, deleted.PlatformError));
        Assert.Contains("several tasks have ContextPush_Delta_Id__c", twice.PlatformError);
        Assert.Equal("token: invalid_client: invalid client credentials", wrongSecret.PlatformError);
        Assert.Equal("NOT_FOUND: Provided external ID field does not exist or is not accessible: ContextPush_Delta_Id__c", field.PlatformError);
        Assert.Contains("a task needs context.owner: salesforce", noIds.PlatformError);
    }

    [Fact]
    public async Task The_daily_limit_is_respected_with_a_reserve_and_its_refusal_is_transient()
    {
        var (tasks, limits) = Writer();
        _salesforce.DailyLimit = 100;
        _salesforce.UseApiRequests(80);
        await tasks.UpsertAsync(Approved(), 3, "Normal", null, TestContext.Current.CancellationToken);
        _salesforce.UseApiRequests(10);
        await tasks.UpsertAsync(Approved(), 3, "Normal", null, TestContext.Current.CancellationToken);

        // 92 of 100 used: the last 10% are left to the org's other integrations, without asking.
        var reserved = await Assert.ThrowsAsync<HttpRequestException>(() => tasks.UpsertAsync(Approved(), 3, "Normal", null, TestContext.Current.CancellationToken));
        var (fresh, _) = Writer();
        _salesforce.UseApiRequests(20);
        var exceeded = await Assert.ThrowsAsync<HttpRequestException>(() => fresh.UpsertAsync(Approved(), 3, "Normal", null, TestContext.Current.CancellationToken));

        Assert.Equal((92L, 100L), limits.Last);
        Assert.Contains("92 of the org's 100 daily API requests used", reserved.Message);
        Assert.Equal(System.Net.HttpStatusCode.TooManyRequests, reserved.StatusCode);
        Assert.Contains("REQUEST_LIMIT_EXCEEDED: TotalRequests Limit exceeded.", exceeded.Message);
        Assert.True(ContextPush.Dispatcher.Redelivery.TransientDelivery.Is(exceeded, CancellationToken.None));
        Assert.Equal(2, _salesforce.Tasks.Count);
    }

    [Fact]
    public async Task Tasks_closed_since_a_watermark_are_read_back_over_pages_with_who_closed_them_and_a_deleted_task_is_nothing_to_change()
    {
        var (tasks, _) = Writer();
        _salesforce.PageSize = 1;
        var ct = TestContext.Current.CancellationToken;
        var since = DateTimeOffset.UtcNow.AddSeconds(-1);
        var open = await tasks.UpsertAsync(Approved(), 3, "Normal", null, ct);
        var byOwner = await tasks.UpsertAsync(Approved(), 3, "Normal", null, ct);
        var byUs = await tasks.UpsertAsync(Approved(), 3, "Normal", null, ct);
        var byOwnerDelta = Guid.Parse((string)_salesforce.Tasks[byOwner.TaskId]["ContextPush_Delta_Id__c"]!);

        _salesforce.CompleteTask(byOwner.TaskId);
        Assert.True(await tasks.UpdateAsync(byUs.TaskId, new() { ["Status"] = "Completed" }, ct));
        var gone = await tasks.UpdateAsync("00TNOSUCHTASK0001", new() { ["Status"] = "Completed" }, ct);
        var closed = await tasks.ClosedSinceAsync(since, ct);
        var later = await tasks.ClosedSinceAsync(DateTimeOffset.UtcNow.AddMinutes(1), ct);

        Assert.False(gone);
        // Pages of one record each: the reading follows nextRecordsUrl to the end.
        Assert.Equal(new[] { byOwner.TaskId, byUs.TaskId }.Order(), closed.Select(c => c.TaskId).Order());
        var owner = Assert.Single(closed, c => c.TaskId == byOwner.TaskId);
        Assert.Equal((byOwnerDelta, "005OLGA", "Olga Owner"), (owner.DeltaId, owner.ClosedById, owner.ClosedByName));
        Assert.Equal(FakeSalesforce.IntegrationUserId, Assert.Single(closed, c => c.TaskId == byUs.TaskId).ClosedById);
        Assert.DoesNotContain(closed, c => c.TaskId == open.TaskId);
        Assert.InRange(owner.ClosedAt, since, DateTimeOffset.UtcNow.AddSeconds(1));
        Assert.Empty(later);
    }
}
