using ContextPush.Assembler.Caching;
using ContextPush.Contracts;
using Microsoft.Extensions.Options;

namespace ContextPush.Assembler.Sources.Zendesk;

/// <summary>
/// The newest tickets of the Zendesk organization whose external_id is the account key. Organizations
/// are looked up in batches (show_many) and cached; tickets are read fresh, since they are the news.
/// </summary>
public sealed class ZendeskTicketSource(IZendeskApi api, LookupCache cache, IOptions<AssemblerOptions> options) : ITicketSource
{
    private readonly BatchLoader<ZendeskOrganization> organizations = new(
        (keys, ct) => ShowOrganizationsAsync(api, keys, ct), options.Value.Zendesk.BatchSize, options.Value.BatchWindow);

    public string Name => "zendesk";

    public async Task<IReadOnlyList<SupportTicket>?> RecentAsync(DeltaDetected delta, int count, CancellationToken ct)
    {
        var settings = options.Value.Zendesk;
        if (settings.BaseUrl is null || string.IsNullOrEmpty(settings.ApiToken) || string.IsNullOrEmpty(settings.Email))
        {
            throw new SourceNotConfiguredException("Zendesk", "Assembler__Zendesk__BaseUrl, __Email and __ApiToken");
        }

        var organization = await cache.GetOrLoadAsync("zendesk-organization", delta.AccountKey, () => organizations.LoadAsync(delta.AccountKey, ct));
        if (organization is null)
        {
            return null;
        }

        if (count == 0)
        {
            return [];
        }

        var page = await api.OrganizationTicketsAsync(organization.Id, "created_at", "desc", count, ct);
        return page.Tickets
            .OrderByDescending(t => t.CreatedAt)
            .Take(count)
            .Select(t => new SupportTicket(t.Subject ?? $"Ticket #{t.Id}", t.Priority ?? "normal", t.Status ?? "open", t.CreatedAt))
            .ToList();
    }

    private static async Task<IReadOnlyDictionary<string, ZendeskOrganization>> ShowOrganizationsAsync(IZendeskApi api, IReadOnlyList<string> keys, CancellationToken ct)
    {
        var answer = await api.ShowOrganizationsAsync(string.Join(',', keys), ct);
        return answer.Organizations
            .Where(o => o.ExternalId is not null)
            .GroupBy(o => o.ExternalId!)
            .ToDictionary(g => g.Key, g => g.First());
    }
}
