namespace ContextPush.Dispatcher.Salesforce;

/// <summary>
/// The connected app the Dispatcher writes tasks with (OAuth 2.0 client credentials flow), from the
/// environment or a secret store: <c>Dispatcher__Salesforce__ClientSecret</c> never goes into a file.
/// </summary>
public sealed class SalesforceOptions
{
    /// <summary>The org's My Domain, e.g. https://acme.my.salesforce.com; the token is asked for there.</summary>
    public Uri? LoginUrl { get; set; }

    public string? ClientId { get; set; }

    public string? ClientSecret { get; set; }

    public string ApiVersion { get; set; } = "v61.0";

    /// <summary>The Task field (External ID, unique) that holds the DeltaId, so a retry updates the task it created (docs: the one-time setup).</summary>
    public string TaskExternalIdField { get; set; } = "ContextPush_Delta_Id__c";

    /// <summary>
    /// The share of the org's daily API requests left to its other integrations: with fewer remaining
    /// than this, tasks wait for the next day's allowance instead of using them up.
    /// </summary>
    public double DailyLimitReserve { get; set; } = 0.1;

    /// <summary>How often tasks closed in Salesforce are read back, to count the owner's completions as reviews.</summary>
    public TimeSpan CompletionPollInterval { get; set; } = TimeSpan.FromMinutes(1);

    public bool Enabled => LoginUrl is not null && !string.IsNullOrEmpty(ClientId) && !string.IsNullOrEmpty(ClientSecret);
}
