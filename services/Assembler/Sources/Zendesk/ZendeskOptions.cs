namespace ContextPush.Assembler.Sources.Zendesk;

public sealed class ZendeskOptions
{
    /// <summary>The help desk, e.g. https://acme.zendesk.com.</summary>
    public Uri? BaseUrl { get; set; }

    /// <summary>The agent the API token belongs to; Zendesk authenticates "{email}/token:{api_token}".</summary>
    public string? Email { get; set; }

    /// <summary>From configuration or environment only.</summary>
    public string? ApiToken { get; set; }

    /// <summary>Zendesk's show_many takes at most 100 ids.</summary>
    public int BatchSize { get; set; } = 100;
}
