using ContextPush.Contracts;

namespace ContextPush.Assembler.Sources;

/// <summary>What an owner source knows of an account: its name, its owner (null when unassigned), a link to it and, from a CRM, its ids there.</summary>
public sealed record AccountFacts(string? AccountName, AccountOwner? Owner, CardLink? CrmLink, CrmAccount? Crm = null);
