using ContextPush.Contracts;
using ContextPush.PushFiles;
using ContextPush.Warehouses.Lookups;
using Microsoft.Extensions.Options;

namespace ContextPush.Assembler.Sources.Warehouse;

/// <summary>
/// The account, its owner and its recent tickets from the warehouse's copies of CRM and help-desk
/// data: the default, and what most teams already have. The warehouse is read through the engine's
/// lookup (PostgreSQL, MariaDB, Snowflake or BigQuery), which retries while it cannot be reached. A
/// push may replace either query.
/// </summary>
public sealed class WarehouseSource(AssemblerWarehouse warehouse, IOptions<AssemblerOptions> options) : IOwnerSource, ITicketSource
{
    /// <summary>How long the warehouse may take over one lookup before it stops it.</summary>
    private static readonly TimeSpan LookupTimeout = TimeSpan.FromSeconds(30);

    public string Name => "warehouse";

    public async Task<AccountFacts?> FindAsync(DeltaDetected delta, CancellationToken ct)
    {
        var context = PushSettingsReader.Of(delta).Context;
        var sql = context.OwnerSql ?? options.Value.OwnerSql ?? DefaultLookupSql.Owner(warehouse.Engine);
        var rows = await warehouse.Lookup.QueryAsync(sql, [new LookupParameter("key", delta.AccountKey)], LookupTimeout, ct);
        if (rows.Count == 0)
        {
            return null;
        }

        var row = rows[0];
        var owner = row.Text("owner_name") is { } name ? new AccountOwner(name, row.Text("owner_email"), row.Text("slack_user_id")) : null;
        var link = row.Text("crm_url") is { } url ? new CardLink(context.CrmLabel ?? "Open in Salesforce", url) : null;
        return new AccountFacts(row.Text("account_name"), owner, link);
    }

    public async Task<IReadOnlyList<SupportTicket>?> RecentAsync(DeltaDetected delta, int count, CancellationToken ct)
    {
        var sql = PushSettingsReader.Of(delta).Context.TicketsSql ?? options.Value.TicketsSql ?? DefaultLookupSql.Tickets(warehouse.Engine);
        var rows = await warehouse.Lookup.QueryAsync(sql, [new LookupParameter("key", delta.AccountKey), new LookupParameter("limit", count)], LookupTimeout, ct);
        return [.. rows.Select(r => new SupportTicket(r.Text("subject") ?? "", r.Text("priority") ?? "", r.Text("status") ?? "",
            r.Timestamp("created_at") ?? throw new InvalidCastException("a ticket has no created_at")))];
    }
}
