namespace ContextPush.Assembler.Sources.Salesforce;

public sealed class SalesforceOptions
{
    /// <summary>The org's instance, e.g. https://acme.my.salesforce.com.</summary>
    public Uri? InstanceUrl { get; set; }

    /// <summary>An OAuth access token for the REST API. From configuration or environment only.</summary>
    public string? AccessToken { get; set; }

    public string ApiVersion { get; set; } = "v61.0";

    /// <summary>Accounts per SOQL query; keeps the query well under Salesforce's URL and SOQL length limits.</summary>
    public int BatchSize { get; set; } = 100;
}
