using ContextPush.Contracts;
using ContextPush.PushFiles;
using Microsoft.Extensions.Options;
using Npgsql;

namespace ContextPush.Assembler.Sources.Warehouse;

/// <summary>
/// The account, its owner and its recent tickets from the warehouse's copies of CRM and help-desk
/// data: the default, and what most teams already have. A push may replace either query.
/// </summary>
public sealed class WarehouseSource(NpgsqlDataSource warehouse, IOptions<AssemblerOptions> options) : IOwnerSource, ITicketSource
{
    public string Name => "warehouse";

    /// <summary>Waits before the second and third attempt while the warehouse cannot be reached, as the HTTP sources' retries do.</summary>
    private static readonly TimeSpan[] Retries = [TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(1)];

    public Task<AccountFacts?> FindAsync(DeltaDetected delta, CancellationToken ct) => WithRetriesAsync(() => FindOnceAsync(delta, ct), ct);

    public Task<IReadOnlyList<SupportTicket>?> RecentAsync(DeltaDetected delta, int count, CancellationToken ct) =>
        WithRetriesAsync(() => RecentOnceAsync(delta, count, ct), ct);

    private static async Task<T> WithRetriesAsync<T>(Func<Task<T>> query, CancellationToken ct)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return await query();
            }
            catch (NpgsqlException e) when (e.IsTransient && attempt < Retries.Length)
            {
                await Task.Delay(Retries[attempt], ct);
            }
        }
    }

    private async Task<AccountFacts?> FindOnceAsync(DeltaDetected delta, CancellationToken ct)
    {
        var sql = PushSettingsReader.Of(delta).Context.OwnerSql ?? options.Value.OwnerSql;
        await using var command = warehouse.CreateCommand(sql);
        command.Parameters.AddWithValue("key", delta.AccountKey);
        await using var reader = await command.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct))
        {
            return null;
        }

        string? Text(string column) => reader[column] is string s && s.Length > 0 ? s : null;
        var owner = Text("owner_name") is { } name ? new AccountOwner(name, Text("owner_email"), Text("slack_user_id")) : null;
        var link = Text("crm_url") is { } url
            ? new CardLink(PushSettingsReader.Of(delta).Context.CrmLabel ?? "Open in Salesforce", url)
            : null;
        return new AccountFacts(Text("account_name"), owner, link);
    }

    private async Task<IReadOnlyList<SupportTicket>?> RecentOnceAsync(DeltaDetected delta, int count, CancellationToken ct)
    {
        var sql = PushSettingsReader.Of(delta).Context.TicketsSql ?? options.Value.TicketsSql;
        await using var command = warehouse.CreateCommand(sql);
        command.Parameters.AddWithValue("key", delta.AccountKey);
        command.Parameters.AddWithValue("limit", count);
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
