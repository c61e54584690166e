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

    public static async Task<FakeSalesforce> StartAsync()
    {
        var fake = new FakeSalesforce("00D000000000001!" + Guid.NewGuid().ToString("N"));
        var (app, address) = await LoopbackWebApp.StartAsync(app =>
        {
            app.MapGet("/services/data/{version}/query", fake.QueryAsync);
            app.MapGet("/services/data/{version}/query/{locator}", fake.NextAsync);
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

        return context.Request.Headers.Authorization == $"Bearer {Token}"
            ? null
            : Results.Json(new[] { new { message = "Session expired or invalid", errorCode = "INVALID_SESSION_ID" } }, statusCode: 401);
    }

    [GeneratedRegex(@"^SELECT Id, Name, OwnerId, Owner\.Name, Owner\.Email(?:, \w+)? FROM Account WHERE (\w+) IN \((.*)\)$")]
    private static partial Regex InQuery();

    [GeneratedRegex(@"'((?:[^'\\]|\\.)*)'")]
    private static partial Regex Literal();

    public async ValueTask DisposeAsync() => await app.DisposeAsync();
}
