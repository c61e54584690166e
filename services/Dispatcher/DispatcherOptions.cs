using System.ComponentModel.DataAnnotations;

namespace ContextPush.Dispatcher;

public sealed class DispatcherOptions
{
    public const string SectionName = "Dispatcher";

    public SlackOptions Slack { get; set; } = new();

    public TeamsOptions Teams { get; set; } = new();

    /// <summary>Tasks written into Salesforce (a push's delivery.crm: salesforce).</summary>
    public Salesforce.SalesforceOptions Salesforce { get; set; } = new();

    /// <summary>Tasks written into HubSpot (a push's delivery.crm.system: hubspot).</summary>
    public HubSpot.HubSpotOptions HubSpot { get; set; } = new();

    public EmailOptions Email { get; set; } = new();

    public RedeliveryOptions Redelivery { get; set; } = new();

    /// <summary>
    /// Where Callbacks answers signed action links, as people's browsers reach it (a public URL in
    /// production); defaults to the callbacks service's address from service discovery.
    /// </summary>
    public Uri? LinksBaseUrl { get; set; }
}

public sealed class SlackOptions
{
    /// <summary>Slack's Web API root; tests point it at a local fake.</summary>
    public Uri BaseUrl { get; set; } = new("https://slack.com/api/");

    /// <summary>The bot token (xoxb-…), from the environment or a secret store; empty means cards go to the console.</summary>
    public string? BotToken { get; set; }

    /// <summary>Where a card goes when the push names no channel and the owner has no Slack id.</summary>
    public string? DefaultChannel { get; set; }

    /// <summary>Slack allows about one message per second per channel; bursts wait their turn.</summary>
    [Range(0.01, 100)]
    public double MessagesPerSecondPerChannel { get; set; } = 1;

    public bool Enabled => !string.IsNullOrWhiteSpace(BotToken);
}

public sealed class TeamsOptions
{
    /// <summary>Workflows webhook URLs by the name a push gives in delivery.teams.webhook; each URL is a secret.</summary>
    public Dictionary<string, Uri> Webhooks { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Webhooks are throttled per URL; stay well below it.</summary>
    [Range(0.01, 100)]
    public double MessagesPerSecondPerWebhook { get; set; } = 2;
}

public sealed class EmailOptions
{
    /// <summary>The SMTP server; unset means email delivery is not configured.</summary>
    public string? Host { get; set; }

    public int Port { get; set; } = 587;

    /// <summary>"StartTls" (the default: required), "StartTlsWhenAvailable", "SslOnConnect" or "None" (a local relay).</summary>
    public string Security { get; set; } = "StartTls";

    public string? User { get; set; }

    /// <summary>From the environment or a secret store, never a file in git.</summary>
    public string? Password { get; set; }

    public string From { get; set; } = "ContextPush <contextpush@localhost>";
}

/// <summary>
/// How a card whose platform is unavailable (5xx, 429, time-outs, refused connections, an open
/// circuit) is tried again: with growing delays, for as long as <see cref="Horizon"/>, then it waits
/// in the error queue to be replayed. Only a platform's refusal is final at once.
/// </summary>
public sealed class RedeliveryOptions
{
    /// <summary>The wait after the first failed attempt; each next wait is three times longer.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan FirstDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The longest wait between two attempts.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "1.00:00:00")]
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How long after its first failure a card is still tried.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "30.00:00:00")]
    public TimeSpan Horizon { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How often due cards are looked for.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:10:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);
}
