using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace ContextPush.Testing.Fakes;

/// <summary>
/// Salesforce's REST query resource as documented for the one query shape the Assembler sends
/// (<c>SELECT … FROM Account WHERE Field IN ('…')</c>): bearer auth (401 INVALID_SESSION_ID), results
/// split into pages of <see cref="PageSize"/> with <c>nextRecordsUrl</c>, MALFORMED_QUERY for anything else.
/// And what the Dispatcher writes: the OAuth client credentials flow, Task upserts by external id (201
/// created, 200 updated, 300 on a duplicated external id, the documented error bodies) and the daily
/// API allowance (<c>Sforce-Limit-Info</c>, 403 REQUEST_LIMIT_EXCEEDED); updates by Id (204, 404 NOT_FOUND),
/// and the closed-task query the completion watch sends, with SystemModstamp and LastModifiedBy as
/// Salesforce keeps them on every change.
/// </summary>
public sealed partial class FakeSalesforce : IAsyncDisposable
{
    private WebApplication app = null!;
    private readonly ConcurrentDictionary<string, List<JsonObject>> cursors = new();

    private FakeSalesforce(string token) => Token = token;

    public string Token { get; }

    public Uri InstanceUrl { get; private set; } = null!;

    public FaultPlan Faults { get; } = new();

    /// <summary>Records per page; Salesforce's default is 2,000, small here so tests see the paging.</summary>
    public int PageSize { get; set; } = 2000;

    /// <summary>Accounts by Id: Name, AccountNumber, OwnerName, OwnerEmail.</summary>
    public ConcurrentDictionary<string, (string Name, string AccountNumber, string OwnerName, string OwnerEmail)> Accounts { get; } = new();

    public string ClientId { get; } = "3MVG9" + Guid.NewGuid().ToString("N");

    public string ClientSecret { get; } = Guid.NewGuid().ToString("N");

    /// <summary>The Task field created as External ID and unique, as the setup in the docs says.</summary>
    public string TaskExternalIdField { get; set; } = "ContextPush_Delta_Id__c";

    /// <summary>Tasks by Id, with the fields as written.</summary>
    public ConcurrentDictionary<string, JsonObject> Tasks { get; } = new();

    /// <summary>Accounts deleted since they were looked up: a task on one is refused with ENTITY_IS_DELETED.</summary>
    public ConcurrentDictionary<string, bool> DeletedAccounts { get; } = new();

    /// <summary>Access tokens issued by the token endpoint and still valid.</summary>
    public ConcurrentDictionary<string, bool> IssuedTokens { get; } = new();

    public int TokensIssued => tokensIssued;

    /// <summary>The org's daily API allowance and what it used (REST calls count, token requests do not).</summary>
    public long DailyLimit { get; set; } = 15_000;

    public long ApiUsage => Interlocked.Read(ref apiUsage);

    public void UseApiRequests(long count) => Interlocked.Add(ref apiUsage, count);

    /// <summary>Ends every session, as a token's timeout or an admin's revocation does.</summary>
    public void ExpireSessions() => IssuedTokens.Clear();

    private static readonly string[] TaskFields = ["Subject", "Description", "WhatId", "WhoId", "OwnerId", "ActivityDate", "Priority", "Status"];
    private int tokensIssued;
    private long apiUsage;

    public static async Task<FakeSalesforce> StartAsync()
    {
        var fake = new FakeSalesforce("00D000000000001!" + Guid.NewGuid().ToString("N"));
        var (app, address) = await LoopbackWebApp.StartAsync(app =>
        {
            app.MapGet("/services/data/{version}/query", fake.QueryAsync);
            app.MapGet("/services/data/{version}/query/{locator}", fake.NextAsync);
            app.MapPost("/services/oauth2/token", (Delegate)fake.TokenAsync);
            app.MapMethods("/services/data/{version}/sobjects/Task/{field}/{value}", ["PATCH"], (Delegate)fake.UpsertTaskAsync);
            app.MapMethods("/services/data/{version}/sobjects/Task/{id}", ["PATCH"], (Delegate)fake.UpdateTaskAsync);
            app.MapMethods("/services/data/{version}/sobjects/Account/{id}", ["PATCH"], (Delegate)fake.UpdateAccountAsync);
        });
        fake.app = app;
        fake.InstanceUrl = address;
        return fake;
    }

    private async Task<IResult> QueryAsync(HttpContext context, string version, string? q)
    {
        if (await GuardAsync(context) is { } refused)
        {
            return refused;
        }

        if (ClosedTasksQuery().Match(q ?? "") is { Success: true } closed)
        {
            return ClosedTasks(version, closed);
        }

        var m = InQuery().Match(q ?? "");
        if (!m.Success)
        {
            return Results.Json(new[] { new { message = $"unexpected query: {q}", errorCode = "MALFORMED_QUERY" } }, statusCode: 400);
        }

        var field = m.Groups[1].Value;
        var values = Literal().Matches(m.Groups[2].Value).Select(v => v.Groups[1].Value.Replace("\\'", "'").Replace("\\\\", "\\")).ToHashSet();
        var records = Accounts
            .Where(a => values.Contains(field == "Id" ? a.Key : a.Value.AccountNumber))
            .Select(a => new JsonObject
            {
                ["attributes"] = new JsonObject { ["type"] = "Account", ["url"] = $"/services/data/{version}/sobjects/Account/{a.Key}" },
                ["Id"] = a.Key,
                ["Name"] = a.Value.Name,
                ["AccountNumber"] = a.Value.AccountNumber,
                ["OwnerId"] = $"005{a.Key}",
                ["Owner"] = new JsonObject
                {
                    ["attributes"] = new JsonObject { ["type"] = "User", ["url"] = $"/services/data/{version}/sobjects/User/005{a.Key}" },
                    ["Name"] = a.Value.OwnerName,
                    ["Email"] = a.Value.OwnerEmail,
                },
            })
            .ToList();
        return Page(version, records, records.Count);
    }

    private async Task<IResult> NextAsync(HttpContext context, string version, string locator)
    {
        if (await GuardAsync(context) is { } refused)
        {
            return refused;
        }

        return cursors.TryRemove(locator, out var rest)
            ? Page(version, rest, rest.Count)
            : Results.Json(new[] { new { message = "invalid query locator", errorCode = "INVALID_QUERY_LOCATOR" } }, statusCode: 400);
    }

    private async Task<IResult> TokenAsync(HttpContext context)
    {
        var form = await context.Request.ReadFormAsync();
        if (form["grant_type"] != "client_credentials")
        {
            return Results.Json(new { error = "unsupported_grant_type", error_description = "grant type not supported" }, statusCode: 400);
        }

        if (form["client_id"] != ClientId || form["client_secret"] != ClientSecret)
        {
            return Results.Json(new { error = "invalid_client", error_description = "invalid client credentials" }, statusCode: 400);
        }

        var token = "00D000000000001!" + Guid.NewGuid().ToString("N");
        IssuedTokens[token] = true;
        Interlocked.Increment(ref tokensIssued);
        return Results.Json(new
        {
            access_token = token, instance_url = InstanceUrl.ToString().TrimEnd('/'), token_type = "Bearer",
            issued_at = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
    }

    private async Task<IResult> UpsertTaskAsync(HttpContext context, string version, string field, string value)
    {
        if (await GuardAsync(context) is { } refused)
        {
            return refused;
        }

        context.Response.Headers["Sforce-Limit-Info"] = $"api-usage={ApiUsage}/{DailyLimit}";
        if (field != TaskExternalIdField)
        {
            return Results.Json(new[] { new { message = $"Provided external ID field does not exist or is not accessible: {field}", errorCode = "NOT_FOUND" } },
                statusCode: 404);
        }

        var body = (await JsonNode.ParseAsync(context.Request.Body))!.AsObject();
        if (body.Select(p => p.Key).FirstOrDefault(k => !TaskFields.Contains(k)) is { } unknown)
        {
            return Results.Json(new[] { new { message = $"No such column '{unknown}' on sobject of type Task", errorCode = "INVALID_FIELD", fields = Array.Empty<string>() } },
                statusCode: 400);
        }

        if ((string?)body["WhatId"] is { } what && DeletedAccounts.ContainsKey(what))
        {
            return Results.Json(new[] { new { message = "entity is deleted", errorCode = "ENTITY_IS_DELETED", fields = new[] { "WhatId" } } }, statusCode: 400);
        }

        lock (Tasks)
        {
            var matches = Tasks.Where(t => (string?)t.Value[TaskExternalIdField] == value).Select(t => t.Key).ToList();
            if (matches.Count > 1)
            {
                return Results.Json(matches.Select(id => $"/services/data/{version}/sobjects/Task/{id}").ToArray(), statusCode: 300);
            }

            var id = matches.SingleOrDefault() ?? $"00T{Guid.NewGuid():N}"[..18];
            var task = Tasks.GetOrAdd(id, _ => new JsonObject { [TaskExternalIdField] = value, ["Status"] = "Not Started" });
            foreach (var (name, fieldValue) in body)
            {
                task[name] = fieldValue?.DeepClone();
            }

            Touch(task, IntegrationUserId, "ContextPush Integration");
            var created = matches.Count == 0;
            return Results.Json(new { id, success = true, errors = Array.Empty<object>(), created }, statusCode: created ? 201 : 200);
        }
    }

    /// <summary>Custom Account fields the org has, and the values written into them by Account Id.</summary>
    public HashSet<string> AccountFields { get; } = ["Churn_Risk__c"];

    public ConcurrentDictionary<string, JsonObject> AccountFieldValues { get; } = new();

    private async Task<IResult> UpdateAccountAsync(HttpContext context, string version, string id)
    {
        if (await GuardAsync(context) is { } refused)
        {
            return refused;
        }

        var body = (await JsonNode.ParseAsync(context.Request.Body))!.AsObject();
        if (body.Select(p => p.Key).FirstOrDefault(k => !AccountFields.Contains(k)) is { } unknown)
        {
            return Results.Json(new[] { new { message = $"No such column '{unknown}' on sobject of type Account", errorCode = "INVALID_FIELD", fields = Array.Empty<string>() } },
                statusCode: 400);
        }

        if (!Accounts.ContainsKey(id) || DeletedAccounts.ContainsKey(id))
        {
            return Results.Json(new[] { new { errorCode = "NOT_FOUND", message = "The requested resource does not exist" } }, statusCode: 404);
        }

        var values = AccountFieldValues.GetOrAdd(id, _ => new JsonObject());
        lock (values)
        {
            foreach (var (name, value) in body)
            {
                values[name] = value?.DeepClone();
            }
        }

        return Results.NoContent();
    }

    /// <summary>The connected app's run-as user: what Salesforce records as the last modifier of what the Dispatcher writes.</summary>
    public const string IntegrationUserId = "005INTEGRATION";

    /// <summary>What the owner does in Salesforce: the task is completed, by the task's owner unless someone else is named.</summary>
    public void CompleteTask(string id, string? byUserId = null, string byName = "Olga Owner")
    {
        lock (Tasks)
        {
            var task = Tasks[id];
            task["Status"] = "Completed";
            Touch(task, byUserId ?? (string?)task["OwnerId"] ?? "005OWNER", byName);
        }
    }

    /// <summary>The task written for a delta, by the external id that holds its DeltaId.</summary>
    public JsonObject? TaskOf(Guid deltaId)
    {
        lock (Tasks)
        {
            return Tasks.Values.SingleOrDefault(t => (string?)t[TaskExternalIdField] == deltaId.ToString());
        }
    }

    private async Task<IResult> UpdateTaskAsync(HttpContext context, string version, string id)
    {
        if (await GuardAsync(context) is { } refused)
        {
            return refused;
        }

        context.Response.Headers["Sforce-Limit-Info"] = $"api-usage={ApiUsage}/{DailyLimit}";
        var body = (await JsonNode.ParseAsync(context.Request.Body))!.AsObject();
        if (body.Select(p => p.Key).FirstOrDefault(k => !TaskFields.Contains(k)) is { } unknown)
        {
            return Results.Json(new[] { new { message = $"No such column '{unknown}' on sobject of type Task", errorCode = "INVALID_FIELD", fields = Array.Empty<string>() } },
                statusCode: 400);
        }

        lock (Tasks)
        {
            if (!Tasks.TryGetValue(id, out var task))
            {
                return Results.Json(new[] { new { errorCode = "NOT_FOUND", message = "The requested resource does not exist" } }, statusCode: 404);
            }

            foreach (var (name, fieldValue) in body)
            {
                task[name] = fieldValue?.DeepClone();
            }

            Touch(task, IntegrationUserId, "ContextPush Integration");
            return Results.NoContent();
        }
    }

    /// <summary>Salesforce's bookkeeping on every change: who, when (SystemModstamp, in its own format), and whether the task is closed.</summary>
    private static void Touch(JsonObject task, string byUserId, string byName)
    {
        var now = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'+0000'", System.Globalization.CultureInfo.InvariantCulture);
        task["LastModifiedDate"] = now;
        task["SystemModstamp"] = now;
        task["LastModifiedById"] = byUserId;
        task["LastModifiedBy"] = new JsonObject { ["Name"] = byName };
        task["IsClosed"] = (string?)task["Status"] == "Completed";
    }

    private IResult ClosedTasks(string version, Match query)
    {
        if (query.Groups[1].Value != TaskExternalIdField || query.Groups[2].Value != TaskExternalIdField)
        {
            return Results.Json(new[] { new { message = $"No such column '{query.Groups[1].Value}' on entity 'Task'", errorCode = "INVALID_FIELD" } }, statusCode: 400);
        }

        var since = DateTimeOffset.Parse(query.Groups[3].Value, System.Globalization.CultureInfo.InvariantCulture);
        List<JsonObject> records;
        lock (Tasks)
        {
            records = Tasks
                .Where(t => (bool?)t.Value["IsClosed"] == true && t.Value[TaskExternalIdField] is not null
                            && Stamp(t.Value) >= since)
                .OrderBy(t => Stamp(t.Value))
                .Select(t => new JsonObject
                {
                    ["attributes"] = new JsonObject { ["type"] = "Task", ["url"] = $"/services/data/{version}/sobjects/Task/{t.Key}" },
                    ["Id"] = t.Key,
                    [TaskExternalIdField] = t.Value[TaskExternalIdField]!.DeepClone(),
                    ["LastModifiedById"] = t.Value["LastModifiedById"]!.DeepClone(),
                    ["LastModifiedBy"] = new JsonObject
                    {
                        ["attributes"] = new JsonObject { ["type"] = "User" }, ["Name"] = t.Value["LastModifiedBy"]!["Name"]!.DeepClone(),
                    },
                    ["SystemModstamp"] = t.Value["SystemModstamp"]!.DeepClone(),
                })
                .ToList();
        }

        return Page(version, records, records.Count);

        static DateTimeOffset Stamp(JsonObject task) =>
            DateTimeOffset.ParseExact(((string)task["SystemModstamp"]!).Replace("+0000", "Z"), "yyyy-MM-dd'T'HH:mm:ss.fffK", System.Globalization.CultureInfo.InvariantCulture);
    }

    private IResult Page(string version, List<JsonObject> records, int total)
    {
        var page = records.Take(PageSize).ToList();
        var answer = new JsonObject { ["totalSize"] = total, ["done"] = records.Count <= PageSize, ["records"] = new JsonArray([.. page]) };
        if (records.Count > PageSize)
        {
            var locator = $"01gD0000002HU6KIAW-{Guid.NewGuid():N}";
            cursors[locator] = records.Skip(PageSize).ToList();
            answer["nextRecordsUrl"] = $"/services/data/{version}/query/{locator}";
        }

        return Results.Json(answer);
    }

    private async Task<IResult?> GuardAsync(HttpContext context)
    {
        if (await Faults.NextAsync(context,
                () => new[] { new { message = "TotalRequests Limit exceeded.", errorCode = "REQUEST_LIMIT_EXCEEDED" } },
                _ => new[] { new { message = "An unexpected error occurred. Please include this ErrorId if you contact support: 1234-5678", errorCode = "UNKNOWN_EXCEPTION" } }) is { } fault)
        {
            return fault;
        }

        var authorization = context.Request.Headers.Authorization.ToString();
        if (authorization != $"Bearer {Token}" && !(authorization.StartsWith("Bearer ", StringComparison.Ordinal) && IssuedTokens.ContainsKey(authorization[7..])))
        {
            return Results.Json(new[] { new { message = "Session expired or invalid", errorCode = "INVALID_SESSION_ID" } }, statusCode: 401);
        }

        // Every authenticated REST call counts against the org's rolling daily allowance.
        if (Interlocked.Increment(ref apiUsage) > DailyLimit)
        {
            return Results.Json(new[] { new { message = "TotalRequests Limit exceeded.", errorCode = "REQUEST_LIMIT_EXCEEDED" } }, statusCode: 403);
        }

        return null;
    }

    [GeneratedRegex(@"^SELECT Id, Name, OwnerId, Owner\.Name, Owner\.Email(?:, \w+)? FROM Account WHERE (\w+) IN \((.*)\)$")]
    private static partial Regex InQuery();

    [GeneratedRegex(@"^SELECT Id, (\w+), LastModifiedById, LastModifiedBy\.Name, SystemModstamp FROM Task WHERE IsClosed = true AND (\w+) != null AND SystemModstamp >= (\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ) ORDER BY SystemModstamp ASC$")]
    private static partial Regex ClosedTasksQuery();

    [GeneratedRegex(@"'((?:[^'\\]|\\.)*)'")]
    private static partial Regex Literal();

    public async ValueTask DisposeAsync() => await app.DisposeAsync();
}
