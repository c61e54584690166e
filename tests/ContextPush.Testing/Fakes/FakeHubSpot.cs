using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace ContextPush.Testing.Fakes;

/// <summary>
/// HubSpot's CRM v3 as documented for the calls the Assembler makes: bearer auth (401
/// INVALID_AUTHENTICATION), companies batch read by id or unique property (at most 100 inputs; 207
/// with OBJECT_NOT_FOUND errors for the missing), the owners list in pages of at most 100 with
/// <c>paging.next.after</c>, and HubSpot's RATE_LIMIT body on 429. And the tasks the Dispatcher writes
/// (FakeHubSpot.Tasks.cs), with the private app's rolling ten-second limit and its headers.
/// </summary>
public sealed partial class FakeHubSpot : IAsyncDisposable
{
    private WebApplication app = null!;

    private FakeHubSpot(string token) => Token = token;

    public string Token { get; }

    public Uri BaseUrl { get; private set; } = null!;

    public FaultPlan Faults { get; } = new();

    /// <summary>Companies by record id: name, hubspot_owner_id and any other properties.</summary>
    public ConcurrentDictionary<string, Dictionary<string, string?>> Companies { get; } = new();

    /// <summary>Owners by id.</summary>
    public ConcurrentDictionary<string, (string First, string Last, string Email)> Owners { get; } = new();

    public static async Task<FakeHubSpot> StartAsync()
    {
        var fake = new FakeHubSpot("pat-na1-" + Guid.NewGuid().ToString("N"));
        var (app, address) = await LoopbackWebApp.StartAsync(app =>
        {
            app.MapPost("/crm/v3/objects/companies/batch/read", (Delegate)fake.BatchReadAsync);
            app.MapGet("/crm/v3/owners/", fake.OwnersAsync);
            fake.MapTasks(app);
        });
        fake.app = app;
        fake.BaseUrl = address;
        return fake;
    }

    private async Task<IResult> BatchReadAsync(HttpContext context)
    {
        if (await GuardAsync(context) is { } refused)
        {
            return refused;
        }

        var body = await JsonNode.ParseAsync(context.Request.Body) as JsonObject;
        var inputs = body?["inputs"]?.AsArray().Select(i => (string?)i!["id"]).ToList();
        if (inputs is null || inputs.Count is 0 or > 100 || inputs.Any(i => i is null))
        {
            return Error(400, "VALIDATION_ERROR", "inputs must hold between 1 and 100 objects with an id");
        }

        var properties = body!["properties"]?.AsArray().Select(p => (string)p!).ToList() ?? [];
        var idProperty = (string?)body["idProperty"];
        var results = new JsonArray();
        var notFound = new List<string>();
        foreach (var input in inputs)
        {
            var match = idProperty is null or "hs_object_id"
                ? Companies.TryGetValue(input!, out var byId) ? (Id: input, Props: byId) : default
                : Companies.Where(c => c.Value.GetValueOrDefault(idProperty) == input).Select(c => (Id: c.Key, Props: c.Value)).FirstOrDefault();
            if (match.Props is null)
            {
                notFound.Add(input!);
                continue;
            }

            var props = new JsonObject { ["hs_object_id"] = match.Id };
            foreach (var name in properties)
            {
                props[name] = match.Props.GetValueOrDefault(name);
            }

            results.Add(new JsonObject
            {
                ["id"] = match.Id, ["properties"] = props,
                ["createdAt"] = "2024-01-02T03:04:05.000Z", ["updatedAt"] = "2024-06-07T08:09:10.000Z", ["archived"] = false,
            });
        }

        var answer = new JsonObject
        {
            ["status"] = "COMPLETE", ["results"] = results,
            ["startedAt"] = DateTimeOffset.UtcNow.ToString("O"), ["completedAt"] = DateTimeOffset.UtcNow.ToString("O"),
        };
        if (notFound.Count == 0)
        {
            return Results.Json(answer);
        }

        answer["numErrors"] = 1;
        answer["errors"] = new JsonArray
        {
            new JsonObject
            {
                ["status"] = "error", ["category"] = "OBJECT_NOT_FOUND",
                ["message"] = "Could not get some COMPANY objects, they may be deleted or not exist. Check that ids are valid.",
                ["context"] = new JsonObject { ["ids"] = new JsonArray([.. notFound.Select(n => JsonValue.Create(n))]) },
            },
        };
        return Results.Json(answer, statusCode: StatusCodes.Status207MultiStatus);
    }

    private async Task<IResult> OwnersAsync(HttpContext context, int? limit, string? after)
    {
        if (await GuardAsync(context) is { } refused)
        {
            return refused;
        }

        var size = Math.Clamp(limit ?? 100, 1, 100);
        var start = int.TryParse(after, out var a) ? a : 0;
        var owners = Owners.OrderBy(o => o.Key, StringComparer.Ordinal).ToList();
        var page = owners.Skip(start).Take(size).Select(o => new JsonObject
        {
            ["id"] = o.Key, ["email"] = o.Value.Email, ["firstName"] = o.Value.First, ["lastName"] = o.Value.Last,
            ["userId"] = int.Parse(o.Key) + 1000, ["archived"] = false, ["teams"] = new JsonArray(),
        });
        var answer = new JsonObject { ["results"] = new JsonArray([.. page]) };
        if (start + size < owners.Count)
        {
            var next = (start + size).ToString();
            answer["paging"] = new JsonObject { ["next"] = new JsonObject { ["after"] = next, ["link"] = $"{BaseUrl}crm/v3/owners/?after={next}" } };
        }

        return Results.Json(answer);
    }

    private async Task<IResult?> GuardAsync(HttpContext context)
    {
        if (RateLimited(context) is { } limited)
        {
            return limited;
        }

        if (await Faults.NextAsync(context,
                () => new { status = "error", message = "You have reached your secondly limit.", errorType = "RATE_LIMIT", correlationId = Guid.NewGuid(), policyName = "SECONDLY" },
                status => new { status = "error", message = "internal error", correlationId = Guid.NewGuid(), category = "INTERNAL_ERROR" }) is { } fault)
        {
            return fault;
        }

        return context.Request.Headers.Authorization == $"Bearer {Token}"
            ? null
            : Error(401, "INVALID_AUTHENTICATION", "Authentication credentials not found. This API supports OAuth 2.0 authentication and you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview");
    }

    private static IResult Error(int status, string category, string message) =>
        Results.Json(new { status = "error", message, correlationId = Guid.NewGuid(), category }, statusCode: status);

    public async ValueTask DisposeAsync() => await app.DisposeAsync();
}
