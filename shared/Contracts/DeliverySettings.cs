namespace ContextPush.Contracts;

/// <summary>A push's delivery section: where Dispatcher sends the card.</summary>
public sealed record DeliverySettings
{
    /// <summary>slack, teams, email or console; null for Slack when a bot token is configured, else the console.</summary>
    public string? Channel { get; init; }

    /// <summary>The Slack channel; null for a direct message to the owner.</summary>
    public string? SlackChannel { get; init; }

    /// <summary>The Slack channel for cards whose owner is unknown.</summary>
    public string? SlackFallbackChannel { get; init; }

    /// <summary>The name of a Teams webhook in Dispatcher's configuration (the URL is a secret).</summary>
    public string? TeamsWebhook { get; init; }

    /// <summary>The email address; null for the owner's.</summary>
    public string? EmailTo { get; init; }

    /// <summary>A task on the account in the CRM, besides the card; null for none.</summary>
    public CrmTaskSettings? CrmTask { get; init; }
}
