using System.ComponentModel.DataAnnotations;
using ContextPush.Assembler.Sources.HubSpot;
using ContextPush.Assembler.Sources.Salesforce;
using ContextPush.Assembler.Sources.Slack;
using ContextPush.Assembler.Sources.Zendesk;

namespace ContextPush.Assembler;

public sealed class AssemblerOptions
{
    public const string SectionName = "Assembler";

    /// <summary>
    /// The engine of the warehouse the context comes from (ConnectionStrings__warehouse): postgres (the
    /// default), mariadb (also MySQL), snowflake or bigquery, as the Detector's warehouses are read.
    /// </summary>
    public string? WarehouseEngine { get; set; }

    /// <summary>
    /// Looks up the account and its owner by the delta's key (@key). Returns account_name, crm_url,
    /// owner_name, owner_email, slack_user_id. Unset, the engine's version of a lookup in accounts and
    /// owners (<see cref="Sources.Warehouse.DefaultLookupSql"/>); a push overrides it with context.owner_sql.
    /// </summary>
    public string? OwnerSql { get; set; }

    /// <summary>The account's newest tickets (@key, @limit): subject, priority, status, created_at. Overridden by context.tickets_sql.</summary>
    public string? TicketsSql { get; set; }

    /// <summary>How many recent tickets the card shows; a push overrides it with context.ticket_count.</summary>
    [Range(0, 20)]
    public int TicketCount { get; set; } = 3;

    /// <summary>How long a handled DeltaId is remembered, so a redelivery is not assembled twice.</summary>
    public TimeSpan ProcessedRetention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>HubSpot CRM, for pushes with context.owner: hubspot.</summary>
    public HubSpotOptions HubSpot { get; set; } = new();

    /// <summary>Salesforce, for pushes with context.owner: salesforce.</summary>
    public SalesforceOptions Salesforce { get; set; } = new();

    /// <summary>Zendesk, for pushes with context.tickets: zendesk.</summary>
    public ZendeskOptions Zendesk { get; set; } = new();

    /// <summary>Slack, to turn an owner's email into a Slack user id when the owner source has none.</summary>
    public SlackLookupOptions Slack { get; set; } = new();

    /// <summary>How long a found owner (and Slack id) is reused before asking the source again.</summary>
    public TimeSpan OwnerCacheTtl { get; set; } = TimeSpan.FromHours(12);

    /// <summary>How long "not found" is remembered: short, so a newly assigned owner shows up soon.</summary>
    public TimeSpan MissCacheTtl { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How long lookups wait for company to share one batch call.</summary>
    public TimeSpan BatchWindow { get; set; } = TimeSpan.FromMilliseconds(25);

    /// <summary>How many consumers assemble at once; lookups of concurrent deltas are batched together.</summary>
    [Range(1, 512)]
    public int ConcurrentDeltas { get; set; } = 64;
}
