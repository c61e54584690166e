using ContextPush.Contracts;

namespace ContextPush.Wording;

/// <summary>What a card's template may talk about: the delta and the context found for it.</summary>
public sealed record CardFacts(
    DeltaDetected Delta,
    string AccountName,
    string? CrmUrl,
    AccountOwner? Owner,
    IReadOnlyList<SupportTicket> Tickets,
    IReadOnlyList<string> Missing);
