using ContextPush.Contracts;

namespace ContextPush.Assembler.Sources;

/// <summary>What an owner source knows of an account: its name, its owner (null when unassigned) and a link to it.</summary>
public sealed record AccountFacts(string? AccountName, AccountOwner? Owner, CardLink? CrmLink);
