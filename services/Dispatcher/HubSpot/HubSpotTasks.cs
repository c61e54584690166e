using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using ContextPush.Contracts;
using ContextPush.Dispatcher.Crm;
using ContextPush.Dispatcher.Delivery;
using Microsoft.Extensions.Options;

namespace ContextPush.Dispatcher.HubSpot;

/// <summary>
/// Writes a delta as a HubSpot task (CRM v3) on its company, assigned to the company's owner, upserted
/// on the DeltaId in a unique-value task property (<see cref="HubSpotOptions.TaskIdProperty"/>), so a
/// retry updates the task it made; then associates it with the company (v4 default association, which
/// a repeat leaves as it is). Every call waits its turn in the pace shared by all replicas, which is held
/// when HubSpot's X-HubSpot-RateLimit-Remaining says its window is used up; HubSpot's 429 and 5xx are
/// transient, its other answers refusals in its own words.
/// </summary>
public sealed class HubSpotTasks(IHubSpotTasksApi api, DestinationPacer pacer, IOptions<DispatcherOptions> options, TimeProvider clock) : ICrmTasks
{
    private HubSpotOptions Settings => options.Value.HubSpot;

    public string System => "hubspot";

    public bool Enabled => Settings.Enabled;

    string ICrmTasks.Settings => "Dispatcher:HubSpot:AccessToken";

    public TimeSpan CompletionPollInterval => Settings.CompletionPollInterval;

    public async Task<SentCard> WriteAsync(DeliveryApproved approved, CrmTaskSettings settings, Uri actionPage, CancellationToken ct)
    {
        var company = approved.Context.Crm!;
        var properties = new JsonObject
        {
            ["hs_task_subject"] = approved.Context.Headline,
            ["hs_task_body"] = Body(approved.Context.Lines.Append($"Mark as reviewed or snooze: {actionPage}")),
            ["hs_timestamp"] = Due(DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime).AddDays(settings.DueInDays)),
            ["hs_task_status"] = "NOT_STARTED",
            ["hs_task_priority"] = settings.Priority switch { "High" => "HIGH", "Low" => "LOW", _ => "MEDIUM" },
            ["hs_task_type"] = "TODO",
            [Settings.TaskIdProperty] = approved.DeltaId.ToString(),
        };
        if (company.OwnerId is { } owner)
        {
            properties["hubspot_owner_id"] = owner;
        }

        var batch = new JsonObject
        {
            ["inputs"] = new JsonArray(new JsonObject
            {
                ["idProperty"] = Settings.TaskIdProperty, ["id"] = approved.DeltaId.ToString(), ["properties"] = properties.DeepClone(),
            }),
        };
        var (status, body) = await SendAsync(token => api.UpsertTasksAsync(token, batch, ct), ct);
        if (status is not (HttpStatusCode.OK or HttpStatusCode.Created) || JsonNode.Parse(body)?["results"]?[0]?["id"] is not { } id)
        {
            throw HubSpotErrors.ToException(status == HttpStatusCode.MultiStatus ? HttpStatusCode.BadRequest : status, Errors(body), company.AccountId);
        }

        var taskId = (string)id!;
        (status, body) = await SendAsync(token => api.AssociateWithCompanyAsync(taskId, company.AccountId, token, ct), ct);
        if (status is not (HttpStatusCode.OK or HttpStatusCode.Created))
        {
            throw HubSpotErrors.ToException(status, body, company.AccountId);
        }

        return new SentCard(System, company.AccountId, taskId, properties);
    }

    public async Task<bool> CompleteAsync(CrmTaskStore.TaskRecord task, string note, CancellationToken ct)
    {
        var written = (string?)task.Task?["hs_task_body"];
        return await UpdateAsync(task.TaskId, new JsonObject
        {
            ["hs_task_status"] = "COMPLETED",
            ["hs_task_body"] = string.IsNullOrEmpty(written) ? Body([note]) : $"{written}{Body([note])}",
        }, ct);
    }

    public async Task SyncFieldsAsync(CrmAccount account, IReadOnlyDictionary<string, decimal?> values, CancellationToken ct)
    {
        // HubSpot takes every property value as a string; an empty one clears it.
        var properties = new JsonObject(values.Select(v => KeyValuePair.Create(v.Key, (JsonNode?)(v.Value?.ToString(CultureInfo.InvariantCulture) ?? ""))));
        var (status, body) = await SendAsync(token => api.UpdateCompanyAsync(account.AccountId, token, new JsonObject { ["properties"] = properties }, ct), ct);
        if (status != HttpStatusCode.OK)
        {
            throw HubSpotErrors.ToException(status, body, account.AccountId);
        }
    }

    public Task MoveDueDateAsync(CrmTaskStore.TaskRecord task, DateOnly due, CancellationToken ct) =>
        UpdateAsync(task.TaskId, new JsonObject { ["hs_timestamp"] = Due(due) }, ct);

    public async Task<IReadOnlyList<ClosedTask>> ClosedSinceAsync(DateTimeOffset watermark, CancellationToken ct)
    {
        var since = new DateTimeOffset(watermark.UtcDateTime.Ticks - watermark.UtcDateTime.Ticks % TimeSpan.TicksPerSecond, TimeSpan.Zero);
        var closed = new List<ClosedTask>();
        string? after = null;
        do
        {
            var search = new JsonObject
            {
                ["filterGroups"] = new JsonArray(new JsonObject
                {
                    ["filters"] = new JsonArray(
                        new JsonObject { ["propertyName"] = "hs_task_status", ["operator"] = "EQ", ["value"] = "COMPLETED" },
                        new JsonObject { ["propertyName"] = Settings.TaskIdProperty, ["operator"] = "HAS_PROPERTY" },
                        new JsonObject
                        {
                            ["propertyName"] = "hs_lastmodifieddate", ["operator"] = "GTE",
                            ["value"] = since.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture),
                        }),
                }),
                ["sorts"] = new JsonArray(new JsonObject { ["propertyName"] = "hs_lastmodifieddate", ["direction"] = "ASCENDING" }),
                ["properties"] = new JsonArray(Settings.TaskIdProperty, "hs_task_status", "hs_lastmodifieddate", "hubspot_owner_id", "hs_updated_by_user_id"),
                ["limit"] = 100,
            };
            if (after is not null)
            {
                search["after"] = after;
            }

            var (status, body) = await SendAsync(token => api.SearchTasksAsync(token, search, ct), ct);
            if (status != HttpStatusCode.OK)
            {
                throw HubSpotErrors.ToException(status, body, "tasks");
            }

            var page = JsonNode.Parse(body)!;
            foreach (var result in page["results"]!.AsArray())
            {
                var properties = result!["properties"]!;
                if (Guid.TryParse((string?)properties[Settings.TaskIdProperty], out var deltaId))
                {
                    // The user who completed it in HubSpot; without one (a workflow, an integration), the task's owner.
                    var by = (string?)properties["hs_updated_by_user_id"] is { Length: > 0 } user ? user : (string?)properties["hubspot_owner_id"] ?? "hubspot";
                    closed.Add(new ClosedTask((string)result["id"]!, deltaId, by, null,
                        DateTimeOffset.Parse((string)properties["hs_lastmodifieddate"]!, CultureInfo.InvariantCulture)));
                }
            }

            after = (string?)page["paging"]?["next"]?["after"];
        }
        while (after is not null);

        return closed;
    }

    private async Task<bool> UpdateAsync(string taskId, JsonObject properties, CancellationToken ct)
    {
        var (status, body) = await SendAsync(token => api.UpdateTaskAsync(taskId, token, new JsonObject { ["properties"] = properties }, ct), ct);
        return status switch
        {
            HttpStatusCode.OK => true,
            HttpStatusCode.NotFound => false,
            _ => throw HubSpotErrors.ToException(status, body, taskId),
        };
    }

    /// <summary>One call in the pace all replicas share for this HubSpot account.</summary>
    private async Task<(HttpStatusCode Status, string Body)> SendAsync(Func<string, Task<HttpResponseMessage>> call, CancellationToken ct)
    {
        await pacer.WaitTurnAsync(System, "api", Settings.RequestsPerSecond, ct);
        using var response = await call(Settings.AccessToken ?? "");
        // The window HubSpot counts is used up: every replica waits it out rather than meet its 429s.
        if (Header("X-HubSpot-RateLimit-Remaining") is 0 && Header("X-HubSpot-RateLimit-Interval-Milliseconds") is { } window and > 0)
        {
            await pacer.HoldAsync(System, "api", TimeSpan.FromMilliseconds(window));
        }

        return (response.StatusCode, await response.Content.ReadAsStringAsync(ct));

        long? Header(string name) => response.Headers.TryGetValues(name, out var values)
            && long.TryParse(values.FirstOrDefault(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : null;
    }

    /// <summary>A batch answer's first error, in the shape of a single error body, for 207 Multi-Status.</summary>
    private static string Errors(string body) =>
        JsonNode.Parse(body)?["errors"]?[0]?.ToJsonString() ?? body;

    /// <summary>hs_task_body is rich text: each line a paragraph, the data escaped.</summary>
    private static string Body(IEnumerable<string> lines) => string.Concat(lines.Select(l => $"<p>{WebUtility.HtmlEncode(l)}</p>"));

    private static string Due(DateOnly due) => due.ToDateTime(new TimeOnly(9, 0), DateTimeKind.Utc).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
