using Refit;

namespace ContextPush.Assembler.Sources.Zendesk;

/// <summary>The parts of Zendesk's Support API the Assembler reads.</summary>
public interface IZendeskApi
{
    /// <summary>https://developer.zendesk.com/api-reference/ticketing/organizations/organizations/#show-many-organizations (up to 100).</summary>
    [Get("/api/v2/organizations/show_many")]
    Task<ZendeskOrganizations> ShowOrganizationsAsync([AliasAs("external_ids")] string externalIds, CancellationToken ct);

    /// <summary>https://developer.zendesk.com/api-reference/ticketing/tickets/tickets/#list-tickets, for one organization.</summary>
    [Get("/api/v2/organizations/{organizationId}/tickets")]
    Task<ZendeskTickets> OrganizationTicketsAsync(
        long organizationId,
        [AliasAs("sort_by")] string sortBy,
        [AliasAs("sort_order")] string sortOrder,
        [AliasAs("per_page")] int perPage,
        CancellationToken ct);
}

public sealed record ZendeskOrganizations(IReadOnlyList<ZendeskOrganization> Organizations);

public sealed record ZendeskOrganization(long Id, string? Name, string? ExternalId);

public sealed record ZendeskTickets(IReadOnlyList<ZendeskTicket> Tickets);

public sealed record ZendeskTicket(long Id, string? Subject, string? Priority, string? Status, DateTimeOffset CreatedAt);
