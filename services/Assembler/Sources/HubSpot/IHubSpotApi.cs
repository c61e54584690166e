using Refit;

namespace ContextPush.Assembler.Sources.HubSpot;

/// <summary>The parts of HubSpot's CRM v3 API the Assembler reads.</summary>
public interface IHubSpotApi
{
    /// <summary>
    /// https://developers.hubspot.com/docs/api/crm/companies (batch read): up to 100 companies by record id
    /// or by a unique property (<c>idProperty</c>). 200 when all were found, 207 with <c>errors</c> when some were not.
    /// </summary>
    [Post("/crm/v3/objects/companies/batch/read")]
    Task<HubSpotBatchResponse> ReadCompaniesAsync([Body] HubSpotBatchReadRequest request, CancellationToken ct);

    /// <summary>https://developers.hubspot.com/docs/api/crm/owners: pages of up to 100, continued with <c>after</c>.</summary>
    [Get("/crm/v3/owners/")]
    Task<HubSpotOwnersPage> ListOwnersAsync(int limit, string? after, CancellationToken ct);
}

public sealed record HubSpotBatchReadRequest(IReadOnlyList<HubSpotId> Inputs, IReadOnlyList<string> Properties, string? IdProperty);

public sealed record HubSpotId(string Id);

public sealed record HubSpotBatchResponse(string Status, IReadOnlyList<HubSpotObject> Results);

public sealed record HubSpotObject(string Id, IReadOnlyDictionary<string, string?> Properties);

public sealed record HubSpotOwnersPage(IReadOnlyList<HubSpotOwner> Results, HubSpotPaging? Paging);

public sealed record HubSpotOwner(string Id, string? Email, string? FirstName, string? LastName, bool Archived);

public sealed record HubSpotPaging(HubSpotNextPage? Next);

public sealed record HubSpotNextPage(string After);
