using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using ContextPush.Assembler.Caching;
using ContextPush.Contracts;
using ContextPush.PushFiles;
using Microsoft.Extensions.Options;

namespace ContextPush.Assembler.Sources.Salesforce;

/// <summary>
/// The account's Salesforce Account and its Owner, matched on Id or on the field a push names in
/// context.salesforce_match_field (e.g. an external id). One SOQL query per batch of accounts,
/// following nextRecordsUrl when Salesforce splits the answer.
/// </summary>
public sealed class SalesforceOwnerSource(ISalesforceApi api, LookupCache cache, IOptions<AssemblerOptions> options) : IOwnerSource
{
    private readonly ConcurrentDictionary<string, BatchLoader<SalesforceFacts>> loaders = new();

    public string Name => "salesforce";

    public async Task<AccountFacts?> FindAsync(DeltaDetected delta, CancellationToken ct)
    {
        var settings = options.Value.Salesforce;
        if (settings.InstanceUrl is null || string.IsNullOrEmpty(settings.AccessToken))
        {
            throw new SourceNotConfiguredException("Salesforce", "Assembler__Salesforce__InstanceUrl and Assembler__Salesforce__AccessToken");
        }

        var field = PushSettingsReader.Of(delta).Context.SalesforceMatchField;
        var loader = loaders.GetOrAdd(field, f => new BatchLoader<SalesforceFacts>(
            (keys, token) => QueryAsync(keys, f, token), settings.BatchSize, options.Value.BatchWindow));
        var account = await cache.GetOrLoadAsync($"salesforce-account:{field}", delta.AccountKey, () => loader.LoadAsync(delta.AccountKey, ct));
        if (account is null)
        {
            return null;
        }

        var owner = account.OwnerName is null ? null : new AccountOwner(account.OwnerName, account.OwnerEmail, null);
        return new AccountFacts(account.Name, owner,
            new CardLink("Open in Salesforce", new Uri(settings.InstanceUrl, $"/lightning/r/Account/{account.Id}/view").ToString()),
            new CrmAccount("salesforce", account.Id, account.OwnerId));
    }

    private async Task<IReadOnlyDictionary<string, SalesforceFacts>> QueryAsync(IReadOnlyList<string> keys, string field, CancellationToken ct)
    {
        var soql = new StringBuilder("SELECT Id, Name, OwnerId, Owner.Name, Owner.Email")
            .Append(field == "Id" ? "" : $", {field}")
            .Append($" FROM Account WHERE {field} IN (")
            .AppendJoin(", ", keys.Select(Quote))
            .Append(')')
            .ToString();
        var found = new Dictionary<string, SalesforceFacts>();
        var page = await api.QueryAsync(options.Value.Salesforce.ApiVersion, soql, ct);
        while (true)
        {
            foreach (var record in page.Records)
            {
                var key = field == "Id" ? record.Id : record.Fields?.GetValueOrDefault(field) is { ValueKind: not JsonValueKind.Null } v ? v.ToString() : null;
                if (key is not null)
                {
                    found[key] = new SalesforceFacts(record.Id, record.Name, record.OwnerId, record.Owner?.Name, record.Owner?.Email);
                }
            }

            if (page.Done || page.NextRecordsUrl is null)
            {
                return found;
            }

            page = await api.NextAsync(page.NextRecordsUrl.TrimStart('/'), ct);
        }
    }

    /// <summary>SOQL string literal: backslash escapes quotes and backslashes.</summary>
    private static string Quote(string value) => $"'{value.Replace("\\", "\\\\").Replace("'", "\\'")}'";

    private sealed record SalesforceFacts(string Id, string? Name, string? OwnerId, string? OwnerName, string? OwnerEmail);
}
