using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using ContextPush.Contracts;
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
    TimeProvider clock)
{
    /// <summary>The task's id, and whether this call created it.</summary>
    public sealed record Written(string TaskId, bool Created);

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
        for (var attempt = 1; ; attempt++)
        {
            var token = await session.TokenAsync(ct);
            using var response = await api.UpsertTaskAsync(settings.ApiVersion, settings.TaskExternalIdField, approved.DeltaId.ToString(), token, task, ct);
            limits.Observe(response);
            var body = await response.Content.ReadAsStringAsync(ct);
            switch (response.StatusCode)
            {
                case HttpStatusCode.Created:
                    return new Written(Id(body), Created: true);
                case HttpStatusCode.OK:
                    return new Written(Id(body), Created: false);
                case HttpStatusCode.NoContent:
                    return new Written("", Created: false);
                case HttpStatusCode.Unauthorized when attempt == 1:
                    session.Refused(token);
                    continue;
                case HttpStatusCode.MultipleChoices:
                    throw new DeliveryRejectedException("salesforce", crm.AccountId,
                        $"several tasks have {settings.TaskExternalIdField} = {approved.DeltaId}; make the field unique (docs: the one-time setup)");
                default:
                    throw SalesforceErrors.ToException(response.StatusCode, body, crm.AccountId);
            }
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

    private static string Id(string body) => JsonDocument.Parse(body).RootElement.GetProperty("id").GetString() ?? "";

    private static string Shorten(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";
}
