using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace ContextPush.Testing.Fakes;

/// <summary>
/// HubSpot's CRM v3 tasks as documented for what the Dispatcher does: batch upsert by a unique-value
/// property (200 with each result's <c>new</c>; 400 VALIDATION_ERROR for an unknown property or value),
/// the v4 default association with a company (404 for a missing one), PATCH by id (404
/// OBJECT_NOT_FOUND), and the search endpoint (EQ, HAS_PROPERTY, GTE filters, sorts, pages with
/// <c>after</c>). Every call counts against the private app's rolling ten-second limit, reported in
/// the X-HubSpot-RateLimit-* headers and refused past it with 429 RATE_LIMIT.
/// </summary>
public sealed partial class FakeHubSpot
{
    private static readonly string[] TaskProperties =
        ["hs_task_subject", "hs_task_body", "hs_timestamp", "hs_task_status", "hs_task_priority", "hs_task_type", "hubspot_owner_id"];

    private readonly ConcurrentQueue<DateTimeOffset> calls = new();
    private long nextTaskId = 9_000_000_000;

    /// <summary>The task property created with unique values, as the setup in the docs says.</summary>
    public string TaskIdProperty { get; set; } = "contextpush_delta_id";

    /// <summary>Tasks by id, with their properties as HubSpot keeps them.</summary>
    public ConcurrentDictionary<string, JsonObject> Tasks { get; } = new();

    /// <summary>Task id to the companies it is associated with.</summary>
    public ConcurrentDictionary<string, HashSet<string>> TaskCompanies { get; } = new();

    /// <summary>
    /// The private app's allowance per rolling ten seconds: 100 on Free and Starter, 190 on Professional and
    /// Enterprise; roomy here, and lowered by the tests that are about it.
    /// </summary>
    public int RequestsPerTenSeconds { get; set; } = 1000;

    /// <summary>Calls refused for the ten-second limit.</summary>
    public int RateLimitRefusals => rateLimitRefusals;

    private int rateLimitRefusals;

    /// <summary>The task written for a delta, by the unique property that holds its DeltaId.</summary>
    public (string Id, JsonObject Properties)? TaskOf(Guid deltaId)
    {
        lock (Tasks)
        {
            return Tasks.Where(t => (string?)t.Value[TaskIdProperty] == deltaId.ToString()).Select(t => ((string, JsonObject)?)(t.Key, t.Value)).SingleOrDefault();
        }
    }

    /// <summary>What a user does in HubSpot: marks the task complete.</summary>
    public void CompleteTask(string id, string byUserId = "7001")
    {
        lock (Tasks)
        {
            Tasks[id]["hs_task_status"] = "COMPLETED";
            Touch(Tasks[id], byUserId);
        }
    }

    /// <summary>Whether any call counted against the limit arrived within the last <paramref name="span"/>.</summary>
    public bool HasCallsWithin(TimeSpan span)
    {
        lock (calls)
        {
            return calls.Any(c => DateTimeOffset.UtcNow - c < span);
        }
    }

    private void MapTasks(WebApplication app)
    {
        app.MapPost("/crm/v3/objects/tasks/batch/upsert", (Delegate)UpsertTasksAsync);
        app.MapPut("/crm/v4/objects/tasks/{taskId}/associations/default/companies/{companyId}", (Delegate)AssociateAsync);
        app.MapMethods("/crm/v3/objects/tasks/{taskId}", ["PATCH"], (Delegate)UpdateTaskAsync);
        app.MapPost("/crm/v3/objects/tasks/search", (Delegate)SearchTasksAsync);
        app.MapMethods("/crm/v3/objects/companies/{companyId}", ["PATCH"], (Delegate)UpdateCompanyAsync);
    }

    /// <summary>Company properties the account has defined beyond name and owner.</summary>
    public HashSet<string> CompanyProperties { get; } = ["churn_risk"];

    private async Task<IResult> UpdateCompanyAsync(HttpContext context, string companyId)
    {
        if (await GuardAsync(context) is { } refused)
        {
            return refused;
        }

        var properties = (await JsonNode.ParseAsync(context.Request.Body))?["properties"]?.AsObject() ?? new JsonObject();
        if (properties.Select(p => p.Key).FirstOrDefault(k => !CompanyProperties.Contains(k) && k is not ("name" or "hubspot_owner_id")) is { } unknown)
        {
            return Error(400, "VALIDATION_ERROR", $"Property values were not valid: Property \"{unknown}\" does not exist");
        }

        if (!Companies.TryGetValue(companyId, out var company))
        {
            return Error(404, "OBJECT_NOT_FOUND", "resource not found");
        }

        lock (company)
        {
            foreach (var (name, value) in properties)
            {
                company[name] = (string?)value;
            }
        }

        return Results.Json(new JsonObject { ["id"] = companyId, ["properties"] = properties.DeepClone(), ["archived"] = false });
    }

    private async Task<IResult> UpsertTasksAsync(HttpContext context)
    {
        if (await GuardAsync(context) is { } refused)
        {
            return refused;
        }

        var inputs = (await JsonNode.ParseAsync(context.Request.Body))?["inputs"]?.AsArray();
        if (inputs is null || inputs.Count is 0 or > 100)
        {
            return Error(400, "VALIDATION_ERROR", "inputs must hold between 1 and 100 objects");
        }

        var results = new JsonArray();
        lock (Tasks)
        {
            foreach (var input in inputs.Select(i => i!.AsObject()))
            {
                var idProperty = (string?)input["idProperty"];
                var value = (string?)input["id"];
                if (idProperty != TaskIdProperty)
                {
                    return Error(400, "VALIDATION_ERROR", $"Property \"{idProperty}\" does not exist or does not have unique values");
                }

                var properties = input["properties"]?.AsObject() ?? new JsonObject();
                if (Invalid(properties) is { } invalid)
                {
                    return invalid;
                }

                var existing = Tasks.FirstOrDefault(t => (string?)t.Value[TaskIdProperty] == value);
                var created = existing.Key is null;
                if (created && properties["hs_timestamp"] is null)
                {
                    return Error(400, "VALIDATION_ERROR", "Property values were not valid: hs_timestamp is required");
                }

                var id = existing.Key ?? Interlocked.Increment(ref nextTaskId).ToString(CultureInfo.InvariantCulture);
                var task = Tasks.GetOrAdd(id, _ => new JsonObject { [TaskIdProperty] = value, ["hs_createdate"] = Now() });
                foreach (var (name, propertyValue) in properties)
                {
                    task[name] = propertyValue?.DeepClone();
                }

                task[TaskIdProperty] = value;
                Touch(task, null);
                results.Add(new JsonObject { ["id"] = id, ["new"] = created, ["properties"] = task.DeepClone(), ["archived"] = false });
            }
        }

        return Results.Json(new JsonObject { ["status"] = "COMPLETE", ["results"] = results, ["startedAt"] = Now(), ["completedAt"] = Now() });
    }

    private async Task<IResult> AssociateAsync(HttpContext context, string taskId, string companyId)
    {
        if (await GuardAsync(context) is { } refused)
        {
            return refused;
        }

        if (!Tasks.ContainsKey(taskId) || !Companies.ContainsKey(companyId))
        {
            return Error(404, "OBJECT_NOT_FOUND", Tasks.ContainsKey(taskId) ? $"No company with id {companyId} exists" : $"No task with id {taskId} exists");
        }

        lock (TaskCompanies)
        {
            TaskCompanies.GetOrAdd(taskId, _ => []).Add(companyId);
        }

        return Results.Json(new
        {
            status = "COMPLETE",
            results = new[] { new { from = new { id = taskId }, to = new { id = companyId }, associationSpec = new { associationCategory = "HUBSPOT_DEFINED", associationTypeId = 192 } } },
        });
    }

    private async Task<IResult> UpdateTaskAsync(HttpContext context, string taskId)
    {
        if (await GuardAsync(context) is { } refused)
        {
            return refused;
        }

        var properties = (await JsonNode.ParseAsync(context.Request.Body))?["properties"]?.AsObject() ?? new JsonObject();
        if (Invalid(properties) is { } invalid)
        {
            return invalid;
        }

        lock (Tasks)
        {
            if (!Tasks.TryGetValue(taskId, out var task))
            {
                return Error(404, "OBJECT_NOT_FOUND", "resource not found");
            }

            foreach (var (name, value) in properties)
            {
                task[name] = value?.DeepClone();
            }

            Touch(task, null);
            return Results.Json(new JsonObject { ["id"] = taskId, ["properties"] = task.DeepClone(), ["archived"] = false });
        }
    }

    private async Task<IResult> SearchTasksAsync(HttpContext context)
    {
        if (await GuardAsync(context) is { } refused)
        {
            return refused;
        }

        var search = (await JsonNode.ParseAsync(context.Request.Body))!.AsObject();
        var filters = search["filterGroups"]?[0]?["filters"]?.AsArray().Select(f => f!.AsObject()).ToList() ?? [];
        var limit = Math.Clamp((int?)search["limit"] ?? 10, 1, 200);
        var start = int.TryParse((string?)search["after"], out var a) ? a : 0;
        var wanted = search["properties"]?.AsArray().Select(p => (string)p!).ToList() ?? [];
        List<(string Id, JsonObject Task)> matches;
        lock (Tasks)
        {
            matches = Tasks.Where(t => filters.All(f => Matches(t.Value, f)))
                .OrderBy(t => (string?)t.Value["hs_lastmodifieddate"], StringComparer.Ordinal)
                .Select(t => (t.Key, t.Value.DeepClone().AsObject()))
                .ToList();
        }

        var page = matches.Skip(start).Take(limit).Select(m => new JsonObject
        {
            ["id"] = m.Id,
            ["properties"] = new JsonObject(wanted.Append("hs_object_id").Append("hs_lastmodifieddate").Append("hs_createdate").Distinct()
                .Select(p => KeyValuePair.Create(p, p == "hs_object_id" ? JsonValue.Create(m.Id) : m.Task[p]?.DeepClone()))),
            ["archived"] = false,
        });
        var answer = new JsonObject { ["total"] = matches.Count, ["results"] = new JsonArray([.. page]) };
        if (start + limit < matches.Count)
        {
            answer["paging"] = new JsonObject { ["next"] = new JsonObject { ["after"] = (start + limit).ToString(CultureInfo.InvariantCulture) } };
        }

        return Results.Json(answer);
    }

    private static bool Matches(JsonObject task, JsonObject filter)
    {
        var value = (string?)task[(string)filter["propertyName"]!];
        return (string?)filter["operator"] switch
        {
            "EQ" => value == (string?)filter["value"],
            "HAS_PROPERTY" => !string.IsNullOrEmpty(value),
            // Dates compare as the milliseconds the filter gives.
            "GTE" => value is not null && DateTimeOffset.Parse(value, CultureInfo.InvariantCulture).ToUnixTimeMilliseconds() >= long.Parse((string)filter["value"]!, CultureInfo.InvariantCulture),
            var other => throw new InvalidOperationException($"the fake does not implement the {other} filter"),
        };
    }

    private IResult? Invalid(JsonObject properties)
    {
        if (properties.Select(p => p.Key).FirstOrDefault(k => !TaskProperties.Contains(k) && k != TaskIdProperty) is { } unknown)
        {
            return Error(400, "VALIDATION_ERROR", $"Property values were not valid: Property \"{unknown}\" does not exist");
        }

        if ((string?)properties["hs_task_status"] is { } status && status is not ("NOT_STARTED" or "COMPLETED" or "IN_PROGRESS" or "WAITING" or "DEFERRED"))
        {
            return Error(400, "VALIDATION_ERROR", $"Property values were not valid: {status} was not one of the allowed options for hs_task_status");
        }

        return (string?)properties["hs_task_priority"] is { } priority && priority is not ("LOW" or "MEDIUM" or "HIGH" or "NONE")
            ? Error(400, "VALIDATION_ERROR", $"Property values were not valid: {priority} was not one of the allowed options for hs_task_priority")
            : null;
    }

    /// <summary>HubSpot's bookkeeping on every change: when, and by which user (none for a private app's call).</summary>
    private static void Touch(JsonObject task, string? byUserId)
    {
        task["hs_lastmodifieddate"] = Now();
        task["hs_updated_by_user_id"] = byUserId;
    }

    private static string Now() => DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    /// <summary>The rolling ten-second window of a private app, in the headers of every answer.</summary>
    private IResult? RateLimited(HttpContext context)
    {
        var now = DateTimeOffset.UtcNow;
        lock (calls)
        {
            while (calls.TryPeek(out var oldest) && now - oldest > TimeSpan.FromSeconds(10))
            {
                calls.TryDequeue(out _);
            }

            var remaining = RequestsPerTenSeconds - calls.Count;
            context.Response.Headers["X-HubSpot-RateLimit-Interval-Milliseconds"] = "10000";
            context.Response.Headers["X-HubSpot-RateLimit-Max"] = RequestsPerTenSeconds.ToString(CultureInfo.InvariantCulture);
            context.Response.Headers["X-HubSpot-RateLimit-Remaining"] = Math.Max(0, remaining - 1).ToString(CultureInfo.InvariantCulture);
            if (remaining <= 0)
            {
                Interlocked.Increment(ref rateLimitRefusals);
                return Results.Json(new
                {
                    status = "error", message = "You have reached your ten_secondly_rolling limit.", errorType = "RATE_LIMIT", correlationId = Guid.NewGuid(),
                    policyName = "TEN_SECONDLY_ROLLING",
                }, statusCode: 429);
            }

            calls.Enqueue(now);
            return null;
        }
    }
}
