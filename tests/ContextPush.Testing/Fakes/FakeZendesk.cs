using System.Collections.Concurrent;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace ContextPush.Testing.Fakes;

/// <summary>
/// Zendesk's Support API as documented for the Assembler's calls: API-token basic auth
/// (<c>{email}/token:{token}</c>, 401 "Couldn't authenticate you"), organizations show_many by
/// external_ids (at most 100), an organization's tickets sorted and paged with next_page, 404
/// RecordNotFound, and 429 APIRateLimitExceeded with Retry-After.
/// </summary>
public sealed class FakeZendesk : IAsyncDisposable
{
    private WebApplication app = null!;

    private FakeZendesk(string email, string token)
    {
        Email = email;
        Token = token;
    }

    public string Email { get; }

    public string Token { get; }

    public Uri BaseUrl { get; private set; } = null!;

    public FaultPlan Faults { get; } = new();

    /// <summary>Organizations by id: name and external_id.</summary>
    public ConcurrentDictionary<long, (string Name, string ExternalId)> Organizations { get; } = new();

    /// <summary>Tickets by organization id.</summary>
    public ConcurrentDictionary<long, List<(long Id, string Subject, string? Priority, string Status, DateTimeOffset CreatedAt)>> Tickets { get; } = new();

    public static async Task<FakeZendesk> StartAsync()
    {
        var fake = new FakeZendesk("agent@example.com", Guid.NewGuid().ToString("N"));
        var (app, address) = await LoopbackWebApp.StartAsync(app =>
        {
            app.MapGet("/api/v2/organizations/show_many", fake.ShowManyAsync);
            app.MapGet("/api/v2/organizations/{id:long}/tickets", fake.TicketsAsync);
        });
        fake.app = app;
        fake.BaseUrl = address;
        return fake;
    }

    private async Task<IResult> ShowManyAsync(HttpContext context, string? external_ids)
    {
        if (await GuardAsync(context) is { } refused)
        {
            return refused;
        }

        var ids = (external_ids ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries);
        if (ids.Length is 0 or > 100)
        {
            return Results.Json(new { error = "InvalidEndpoint", description = "external_ids takes 1 to 100 values" }, statusCode: 400);
        }

        var found = Organizations.Where(o => ids.Contains(o.Value.ExternalId))
            .Select(o => new { id = o.Key, name = o.Value.Name, external_id = o.Value.ExternalId, url = $"{BaseUrl}api/v2/organizations/{o.Key}.json" });
        return Results.Json(new { organizations = found });
    }

    private async Task<IResult> TicketsAsync(HttpContext context, long id, string? sort_by, string? sort_order, int? per_page, int? page)
    {
        if (await GuardAsync(context) is { } refused)
        {
            return refused;
        }

        if (!Organizations.ContainsKey(id))
        {
            return Results.Json(new { error = "RecordNotFound", description = "Not found" }, statusCode: 404);
        }

        var all = Tickets.GetValueOrDefault(id) ?? [];
        var sorted = sort_by == "created_at"
            ? sort_order == "desc" ? all.OrderByDescending(t => t.CreatedAt) : all.OrderBy(t => t.CreatedAt)
            : all.OrderBy(t => t.Id);
        var size = Math.Clamp(per_page ?? 100, 1, 100);
        var number = Math.Max(page ?? 1, 1);
        var tickets = sorted.Skip((number - 1) * size).Take(size).Select(t => new
        {
            id = t.Id, subject = t.Subject, priority = t.Priority, status = t.Status,
            created_at = t.CreatedAt.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ"), organization_id = id,
        });
        var more = number * size < all.Count;
        return Results.Json(new
        {
            tickets,
            next_page = more ? $"{BaseUrl}api/v2/organizations/{id}/tickets.json?page={number + 1}&per_page={size}" : null,
            previous_page = number > 1 ? $"{BaseUrl}api/v2/organizations/{id}/tickets.json?page={number - 1}&per_page={size}" : null,
            count = all.Count,
        });
    }

    private async Task<IResult?> GuardAsync(HttpContext context)
    {
        if (await Faults.NextAsync(context,
                () => new { error = "APIRateLimitExceeded", description = "Number of allowed API requests per minute exceeded" },
                status => new { error = "InternalError", description = $"HTTP {status}" }) is { } fault)
        {
            return fault;
        }

        var expected = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Email}/token:{Token}"));
        return context.Request.Headers.Authorization == expected
            ? null
            : Results.Json(new { error = "Couldn't authenticate you" }, statusCode: 401);
    }

    public async ValueTask DisposeAsync() => await app.DisposeAsync();
}
