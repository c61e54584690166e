namespace ContextPush.Contracts;

/// <summary>
/// The account's record in the CRM the owner came from, by that CRM's own ids: what a task written back
/// into the CRM is attached to (its account) and assigned to (its owner). Part of <see cref="AssembledContext"/>.
/// </summary>
/// <param name="System">"salesforce" or "hubspot".</param>
/// <param name="AccountId">Salesforce's Account Id (<c>001…</c>), or HubSpot's company id.</param>
/// <param name="OwnerId">Salesforce's User Id of the owner (<c>005…</c>), or HubSpot's owner id; null when unassigned.</param>
public sealed record CrmAccount(string System, string AccountId, string? OwnerId);
