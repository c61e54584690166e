using System.Collections.Concurrent;
using ContextPush.Assembler.Caching;
using ContextPush.Contracts;
using ContextPush.PushFiles;
using Microsoft.Extensions.Options;

namespace ContextPush.Assembler.Sources.HubSpot;

/// <summary>
/// The account's HubSpot company (by record id, or by the unique property a push names in
/// context.hubspot_id_property) and the company's owner. Companies are read in batches of up to 100;
/// owners come from the paged owners list, read once and cached, since a team has few of them.
/// </summary>
public sealed class HubSpotOwnerSource(IHubSpotApi api, LookupCache cache, IOptions<AssemblerOptions> options) : IOwnerSource
{
    private const string OwnerProperty = "hubspot_owner_id";

    private readonly ConcurrentDictionary<string, BatchLoader<HubSpotCompany>> loaders = new();
    private readonly Lock ownersGate = new();
    private Task<IReadOnlyDictionary<string, AccountOwner>>? ownersLoad;
    private DateTimeOffset ownersLoadedAt;

    public string Name => "hubspot";

    public async Task<AccountFacts?> FindAsync(DeltaDetected delta, CancellationToken ct)
    {
        var settings = options.Value.HubSpot;
        if (string.IsNullOrEmpty(settings.AccessToken))
        {
            throw new SourceNotConfiguredException("HubSpot", "Assembler__HubSpot__AccessToken");
        }

        var idProperty = PushSettingsReader.Of(delta).Context.HubSpotIdProperty;
        var loader = loaders.GetOrAdd(idProperty ?? "", p => new BatchLoader<HubSpotCompany>(
            (ids, token) => ReadCompaniesAsync(ids, p.Length == 0 ? null : p, token), settings.BatchSize, options.Value.BatchWindow));
        var company = await cache.GetOrLoadAsync($"hubspot-company:{idProperty ?? "id"}", delta.AccountKey,
            () => loader.LoadAsync(delta.AccountKey, ct));
        if (company is null)
        {
            return null;
        }

        var owner = company.OwnerId is null ? null : await cache.GetOrLoadAsync("hubspot-owner", company.OwnerId, async () =>
            (await AllOwnersAsync(ct)).GetValueOrDefault(company.OwnerId));
        var link = settings.PortalId is { Length: > 0 } portal
            ? new CardLink("Open in HubSpot", $"https://app.hubspot.com/contacts/{portal}/company/{company.Id}")
            : null;
        return new AccountFacts(company.Name, owner, link, new CrmAccount("hubspot", company.Id, company.OwnerId));
    }

    private async Task<IReadOnlyDictionary<string, HubSpotCompany>> ReadCompaniesAsync(IReadOnlyList<string> keys, string? idProperty, CancellationToken ct)
    {
        var properties = idProperty is null ? new[] { "name", OwnerProperty } : ["name", OwnerProperty, idProperty];
        var response = await api.ReadCompaniesAsync(new HubSpotBatchReadRequest([.. keys.Select(k => new HubSpotId(k))], properties, idProperty), ct);
        // Companies HubSpot could not find are listed under "errors" (207) and simply absent here.
        return response.Results.ToDictionary(
            c => idProperty is null ? c.Id : c.Properties.GetValueOrDefault(idProperty) ?? c.Id,
            c => new HubSpotCompany(c.Id, c.Properties.GetValueOrDefault("name"), c.Properties.GetValueOrDefault(OwnerProperty) is { Length: > 0 } o ? o : null));
    }

    /// <summary>
    /// One paged read of the owners serves every delta waiting on an owner; each owner is then cached on
    /// its own. A read that just finished is reused for a minute: deltas that missed the cache while it
    /// was being filled would otherwise each start the next read.
    /// </summary>
    private Task<IReadOnlyDictionary<string, AccountOwner>> AllOwnersAsync(CancellationToken ct)
    {
        lock (ownersGate)
        {
            var fresh = ownersLoad is { IsCompletedSuccessfully: true } && DateTimeOffset.UtcNow - ownersLoadedAt < TimeSpan.FromMinutes(1);
            if (ownersLoad is null || (ownersLoad.IsCompleted && !fresh))
            {
                ownersLoadedAt = DateTimeOffset.UtcNow;
                ownersLoad = ReadOwnersAsync();
            }

            return ownersLoad.WaitAsync(ct);
        }
    }

    private async Task<IReadOnlyDictionary<string, AccountOwner>> ReadOwnersAsync()
    {
        var owners = new Dictionary<string, AccountOwner>();
        string? after = null;
        do
        {
            var page = await api.ListOwnersAsync(100, after, CancellationToken.None);
            foreach (var o in page.Results.Where(o => !o.Archived))
            {
                var name = $"{o.FirstName} {o.LastName}".Trim();
                owners[o.Id] = new AccountOwner(name.Length > 0 ? name : o.Email ?? o.Id, o.Email, null);
            }

            after = page.Paging?.Next?.After;
        }
        while (after is not null);

        await cache.PutManyAsync("hubspot-owner", owners.Select(o => (o.Key, o.Value)));
        return owners;
    }

    private sealed record HubSpotCompany(string Id, string? Name, string? OwnerId);
}
