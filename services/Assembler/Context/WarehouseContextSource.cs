using System.Globalization;
using ContextPush.Contracts;
using Microsoft.Extensions.Options;
using Npgsql;

namespace ContextPush.Assembler.Context;

/// <summary>The account, its owner and its recent tickets, read from the warehouse copies of CRM and help-desk data.</summary>
public sealed class WarehouseContextSource(NpgsqlDataSource warehouse, IOptions<AssemblerOptions> options)
{
    public sealed record AccountFacts(string AccountName, string? CrmUrl, AccountOwner? Owner);

    public async Task<AccountFacts?> FindAccountAsync(DeltaDetected delta, CancellationToken ct)
    {
        var sql = delta.Settings.GetValueOrDefault("context:owner_sql") ?? options.Value.OwnerSql;
        await using var command = warehouse.CreateCommand(sql);
        command.Parameters.AddWithValue("key", delta.AccountKey);
        await using var reader = await command.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct))
        {
            return null;
        }

        string? Text(string column) => reader[column] is string s && s.Length > 0 ? s : null;
        var owner = Text("owner_name") is { } name ? new AccountOwner(name, Text("owner_email"), Text("slack_user_id")) : null;
        return new AccountFacts(Text("account_name") ?? delta.AccountKey, Text("crm_url"), owner);
    }

    public async Task<IReadOnlyList<SupportTicket>> RecentTicketsAsync(DeltaDetected delta, CancellationToken ct)
    {
        var sql = delta.Settings.GetValueOrDefault("context:tickets_sql") ?? options.Value.TicketsSql;
        var limit = delta.Settings.GetValueOrDefault("context:ticket_count") is { } n
            ? int.Parse(n, CultureInfo.InvariantCulture)
            : options.Value.TicketCount;
        await using var command = warehouse.CreateCommand(sql);
        command.Parameters.AddWithValue("key", delta.AccountKey);
        command.Parameters.AddWithValue("limit", limit);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var tickets = new List<SupportTicket>();
        while (await reader.ReadAsync(ct))
        {
            tickets.Add(new SupportTicket(
                (string)reader["subject"], (string)reader["priority"], (string)reader["status"],
                reader.GetFieldValue<DateTimeOffset>(reader.GetOrdinal("created_at"))));
        }

        return tickets;
    }
}
