using System.Text.Json;
using System.Text.Json.Serialization;
using Refit;

namespace ContextPush.Assembler.Sources.Salesforce;

/// <summary>Salesforce's REST query resource.</summary>
public interface ISalesforceApi
{
    /// <summary>https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_query.htm</summary>
    [Get("/services/data/{version}/query")]
    Task<SalesforceQueryResult> QueryAsync(string version, [AliasAs("q")] string soql, CancellationToken ct);

    /// <summary>The rest of a large result: <c>nextRecordsUrl</c> as Salesforce gave it, without its leading slash.</summary>
    [Get("/{**nextRecordsUrl}")]
    Task<SalesforceQueryResult> NextAsync(string nextRecordsUrl, CancellationToken ct);
}

public sealed record SalesforceQueryResult(int TotalSize, bool Done, string? NextRecordsUrl, IReadOnlyList<SalesforceAccount> Records);

public sealed record SalesforceAccount(string Id, string? Name, string? OwnerId, SalesforceOwner? Owner)
{
    /// <summary>The matched field's value, read from the record's other columns.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Fields { get; init; }
}

public sealed record SalesforceOwner(string? Name, string? Email);
