using System.ComponentModel.DataAnnotations;

namespace ContextPush.Assembler;

public sealed class AssemblerOptions
{
    public const string SectionName = "Assembler";

    /// <summary>
    /// Looks up the account and its owner by the delta's key (@key). Returns account_name, crm_url,
    /// owner_name, owner_email, slack_user_id. A push overrides it with context.owner_sql.
    /// </summary>
    [Required]
    public string OwnerSql { get; set; } = """
        SELECT a.name AS account_name, a.crm_url, o.name AS owner_name, o.email AS owner_email, o.slack_user_id
        FROM accounts a LEFT JOIN owners o ON o.id = a.owner_id
        WHERE a.id = @key::bigint
        """;

    /// <summary>The account's newest tickets (@key, @limit): subject, priority, status, created_at. Overridden by context.tickets_sql.</summary>
    [Required]
    public string TicketsSql { get; set; } = """
        SELECT subject, priority, status, created_at
        FROM tickets WHERE account_id = @key::bigint
        ORDER BY created_at DESC LIMIT @limit
        """;

    /// <summary>How many recent tickets the card shows; a push overrides it with context.ticket_count.</summary>
    [Range(0, 20)]
    public int TicketCount { get; set; } = 3;

    /// <summary>How long a handled DeltaId is remembered, so a redelivery is not assembled twice.</summary>
    public TimeSpan ProcessedRetention { get; set; } = TimeSpan.FromDays(7);
}
