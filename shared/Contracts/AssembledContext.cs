namespace ContextPush.Contracts;

/// <summary>The readable story around a delta, built by Assembler. Part of <see cref="ContextAssembled"/>.</summary>
public sealed record AssembledContext
{
    /// <summary>The account's display name.</summary>
    public required string AccountName { get; init; }

    /// <summary>Null when no owner could be found; Dispatcher then uses the push's fallback destination.</summary>
    public AccountOwner? Owner { get; init; }

    /// <summary>Newest first.</summary>
    public required IReadOnlyList<SupportTicket> Tickets { get; init; }

    /// <summary>One line that says what changed, for the card's header and the notification text.</summary>
    public required string Headline { get; init; }

    /// <summary>Context lines in display order (owner, tickets), plain text.</summary>
    public required IReadOnlyList<string> Lines { get; init; }

    /// <summary>Deep links, in display order.</summary>
    public required IReadOnlyList<CardLink> Links { get; init; }

    /// <summary>Sources that could not answer; the card says what is missing instead of being dropped.</summary>
    public required IReadOnlyList<string> Missing { get; init; }

    /// <summary>
    /// <see cref="Lines"/> rendered from the push's template for the formats its card can be shown in
    /// ("slack" always, for the card and the dashboard's preview; "teams" or "html" when the push delivers
    /// there), with values from data already escaped for that format. A format that is absent (or the whole
    /// dictionary, from older Assemblers): channels then escape <see cref="Lines"/> themselves.
    /// </summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>>? FormattedLines { get; init; }

    /// <summary>The account's ids in the CRM the owner came from (context.owner salesforce or hubspot); null for other sources and from older publishers.</summary>
    public CrmAccount? Crm { get; init; }
}
