using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using ContextPush.Contracts;
using ContextPush.Dispatcher.Crm;
using ContextPush.Dispatcher.Delivery;
using Microsoft.Extensions.Options;

namespace ContextPush.Dispatcher.Salesforce;

/// <summary>
/// Writes a delta as a Task on its account (WhatId), assigned to the account's owner (OwnerId), upserted
/// on the DeltaId in <see cref="SalesforceOptions.TaskExternalIdField"/>: a retry, or a second attempt
/// after a crash, updates the task it made instead of making another. Salesforce's refusals are
/// permanent in its own words; its outages, its 5xx and the daily limit are transient.
/// </summary>
public sealed class SalesforceTasks(ISalesforceTasksApi api, SalesforceSession session, SalesforceLimits limits, IOptions<DispatcherOptions> options,
    TimeProvider clock) : ICrmTasks
{
    public string System => "salesforce";

    public bool Enabled => options.Value.Salesforce.Enabled;

    public string Settings => "Dispatcher:Salesforce (LoginUrl, ClientId, ClientSecret)";

    public TimeSpan CompletionPollInterval => options.Value.Salesforce.CompletionPollInterval;

    public async Task<SentCard> WriteAsync(DeliveryApproved approved, CrmTaskSettings settings, Uri actionPage, CancellationToken ct)
    {
        var written = await UpsertAsync(approved, settings.DueInDays, settings.Priority, actionPage, ct);
        return new SentCard(System, approved.Context.Crm!.AccountId, written.TaskId, written.Task);
    }

    public Task<bool> CompleteAsync(CrmTaskStore.TaskRecord task, string note, CancellationToken ct)
    {
        var description = (string?)task.Task?["Description"];
        return UpdateAsync(task.TaskId, new JsonObject
        {
            ["Status"] = "Completed",
            ["Description"] = string.IsNullOrEmpty(description) ? note : $"{description}\n\n{note}",
        }, ct);
    }

    public async Task SyncFieldsAsync(CrmAccount account, IReadOnlyDictionary<string, decimal?> values, CancellationToken ct)
    {
        var settings = options.Value.Salesforce;
        limits.ThrowIfReserveReached(settings.DailyLimitReserve);
        var fields = new JsonObject(values.Select(v => KeyValuePair.Create(v.Key, (JsonNode?)(v.Value is { } n ? JsonValue.Create(n) : null))));
        var (status, body) = await SendAsync(token => api.UpdateAccountAsync(settings.ApiVersion, account.AccountId, token, fields, ct), ct);
        if (status is not (HttpStatusCode.NoContent or HttpStatusCode.OK))
        {
            throw SalesforceErrors.ToException(status, body, account.AccountId);
        }
    }

    public Task MoveDueDateAsync(CrmTaskStore.TaskRecord task, DateOnly due, CancellationToken ct) =>
        UpdateAsync(task.TaskId, new JsonObject { ["ActivityDate"] = due.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) }, ct);

    /// <summary>The task's id, and whether this call created it.</summary>
    public sealed record Written(string TaskId, bool Created, JsonObject Task);

    public async Task<Written> UpsertAsync(DeliveryApproved approved, int dueInDays, string priority, Uri? actionPage, CancellationToken ct)
    {
        var settings = options.Value.Salesforce;
        if (approved.Context.Crm is not { System: "salesforce" } crm)
        {
            throw new DeliveryRejectedException("salesforce", null,
                $"push {approved.Delta.PushId}: the account's Salesforce ids are unknown; a task needs context.owner: salesforce");
        }

        limits.ThrowIfReserveReached(settings.DailyLimitReserve);
        var task = Body(approved, crm, dueInDays, priority, actionPage);
        var (status, body) = await SendAsync(token => api.UpsertTaskAsync(settings.ApiVersion, settings.TaskExternalIdField, approved.DeltaId.ToString(), token, task, ct), ct);
        return status switch
        {
            HttpStatusCode.Created => new Written(Id(body), Created: true, task),
            HttpStatusCode.OK => new Written(Id(body), Created: false, task),
            HttpStatusCode.NoContent => new Written("", Created: false, task),
            HttpStatusCode.MultipleChoices => throw new DeliveryRejectedException("salesforce", crm.AccountId,
                $"several tasks have {settings.TaskExternalIdField} = {approved.DeltaId}; make the field unique (docs: the one-time setup)"),
            _ => throw SalesforceErrors.ToException(status, body, crm.AccountId),
        };
    }

    /// <summary>
    /// Changes fields of a task it wrote (its status, its due date); false when the task is gone from
    /// Salesforce (deleted by someone), which leaves nothing to change.
    /// </summary>
    public async Task<bool> UpdateAsync(string taskId, JsonObject fields, CancellationToken ct)
    {
        var settings = options.Value.Salesforce;
        limits.ThrowIfReserveReached(settings.DailyLimitReserve);
        var (status, body) = await SendAsync(token => api.UpdateTaskAsync(settings.ApiVersion, taskId, token, fields, ct), ct);
        if (status is HttpStatusCode.NoContent or HttpStatusCode.OK)
        {
            return true;
        }

        if (status == HttpStatusCode.NotFound || body.Contains("ENTITY_IS_DELETED", StringComparison.Ordinal))
        {
            return false;
        }

        throw SalesforceErrors.ToException(status, body, taskId);
    }

    /// <summary>
    /// The tasks ContextPush wrote (the external id set) that were closed at or after the watermark, oldest
    /// change first: SystemModstamp is what Salesforce moves on every change, so nothing slips between polls.
    /// </summary>
    public async Task<IReadOnlyList<ClosedTask>> ClosedSinceAsync(DateTimeOffset watermark, CancellationToken ct)
    {
        var settings = options.Value.Salesforce;
        var field = settings.TaskExternalIdField;
        // SOQL dateTime literals take whole seconds; '>=' on the truncated second, and the caller skips what it saw.
        var since = watermark.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        var soql = $"SELECT Id, {field}, LastModifiedById, LastModifiedBy.Name, SystemModstamp FROM Task " +
                   $"WHERE IsClosed = true AND {field} != null AND SystemModstamp >= {since} ORDER BY SystemModstamp ASC";
        var closed = new List<ClosedTask>();
        var (status, body) = await SendAsync(token => api.QueryAsync(settings.ApiVersion, soql, token, ct), ct);
        while (true)
        {
            if (status != HttpStatusCode.OK)
            {
                throw SalesforceErrors.ToException(status, body, "Task");
            }

            var page = JsonNode.Parse(body)!.AsObject();
            foreach (var record in page["records"]!.AsArray().Select(r => r!.AsObject()))
            {
                if (Guid.TryParse((string?)record[field], out var deltaId))
                {
                    closed.Add(new ClosedTask((string)record["Id"]!, deltaId, (string?)record["LastModifiedById"] ?? "salesforce",
                        (string?)record["LastModifiedBy"]?["Name"], Timestamp((string)record["SystemModstamp"]!)));
                }
            }

            if ((string?)page["nextRecordsUrl"] is not { } next)
            {
                return closed;
            }

            var locator = next[(next.LastIndexOf('/') + 1)..];
            (status, body) = await SendAsync(token => api.QueryMoreAsync(settings.ApiVersion, locator, token, ct), ct);
        }
    }

    /// <summary>One REST call with the session's token, asked again once when Salesforce says the session ended.</summary>
    private async Task<(HttpStatusCode Status, string Body)> SendAsync(Func<string, Task<HttpResponseMessage>> call, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            var token = await session.TokenAsync(ct);
            using var response = await call(token);
            limits.Observe(response);
            if (response.StatusCode == HttpStatusCode.Unauthorized && attempt == 1)
            {
                session.Refused(token);
                continue;
            }

            return (response.StatusCode, await response.Content.ReadAsStringAsync(ct));
        }
    }

    private JsonObject Body(DeliveryApproved approved, CrmAccount crm, int dueInDays, string priority, Uri? actionPage)
    {
        var description = string.Join("\n", approved.Context.Lines)
            + (actionPage is null ? "" : $"\n\nMark as reviewed or snooze: {actionPage}");
        var task = new JsonObject
        {
            ["Subject"] = Shorten(approved.Context.Headline, 255),
            ["Description"] = Shorten(description, 32_000),
            ["WhatId"] = crm.AccountId,
            ["ActivityDate"] = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime).AddDays(dueInDays).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["Priority"] = priority,
            ["Status"] = "Not Started",
        };
        if (crm.OwnerId is { } owner)
        {
            task["OwnerId"] = owner;
        }

        return task;
    }

    /// <summary>Salesforce writes datetimes as 2026-12-01T09:00:00.000+0000, an offset without the colon .NET expects.</summary>
    private static DateTimeOffset Timestamp(string text) =>
        DateTimeOffset.Parse(text.Length > 5 && text[^5] is '+' or '-' && text[^4..].All(char.IsAsciiDigit) ? text.Insert(text.Length - 2, ":") : text,
            CultureInfo.InvariantCulture);

    private static string Id(string body) => JsonDocument.Parse(body).RootElement.GetProperty("id").GetString() ?? "";

    private static string Shorten(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";
}
