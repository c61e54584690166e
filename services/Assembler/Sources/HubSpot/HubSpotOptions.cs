namespace ContextPush.Assembler.Sources.HubSpot;

public sealed class HubSpotOptions
{
    public Uri BaseUrl { get; set; } = new("https://api.hubapi.com");

    /// <summary>A private app's access token (scopes crm.objects.companies.read, crm.objects.owners.read). From configuration or environment only.</summary>
    public string? AccessToken { get; set; }

    /// <summary>The HubSpot account id, for "Open in HubSpot" links; no link without it.</summary>
    public string? PortalId { get; set; }

    /// <summary>HubSpot reads at most 100 records per batch call.</summary>
    public int BatchSize { get; set; } = 100;
}
