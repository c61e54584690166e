namespace ContextPush.Contracts;

/// <summary>A push's context section: where Assembler finds the owner and tickets, and the card's wording.</summary>
public sealed record ContextSettings
{
    /// <summary>warehouse (the default), hubspot or salesforce.</summary>
    public string Owner { get; init; } = "warehouse";

    /// <summary>warehouse (the default), zendesk or none.</summary>
    public string Tickets { get; init; } = "warehouse";

    /// <summary>Newest tickets shown, 0 to 20; null for Assembler's default.</summary>
    public int? TicketCount { get; init; }

    /// <summary>Replaces the warehouse owner lookup (parameter @key).</summary>
    public string? OwnerSql { get; init; }

    /// <summary>Replaces the warehouse ticket lookup (parameters @key, @limit).</summary>
    public string? TicketsSql { get; init; }

    /// <summary>The label of the warehouse's CRM link button.</summary>
    public string? CrmLabel { get; init; }

    /// <summary>HubSpot: the unique company property holding the key; null for the record id.</summary>
    public string? HubSpotIdProperty { get; init; }

    /// <summary>Salesforce: the Account field holding the key.</summary>
    public string SalesforceMatchField { get; init; } = "Id";

    /// <summary>Whether an owner's Slack id is looked up by email when the source has none.</summary>
    public bool SlackLookup { get; init; } = true;

    /// <summary>The template's file name, for messages; null for the built-in wording.</summary>
    public string? Template { get; init; }

    /// <summary>The template's Liquid text, checked by Detector when the push loaded.</summary>
    public string? TemplateSource { get; init; }
}
