namespace ContextPush.Callbacks;

public sealed class CallbacksOptions
{
    public const string SectionName = "Callbacks";

    public SlackSigningOptions Slack { get; set; } = new();

    /// <summary>The HubSpot app whose webhooks report task changes (optional: the Dispatcher polls anyway).</summary>
    public HubSpotWebhookOptions HubSpot { get; set; } = new();

    /// <summary>Larger bodies are rejected before they are parsed; Slack's payloads are a few KB.</summary>
    public int MaxBodyBytes { get; set; } = 64 * 1024;

    public AdoptionOptions Adoption { get; set; } = new();

    public Explain.ExplainOptions Explain { get; set; } = new();
}

/// <summary>When a push counts as noisy: people act on too few of its cards.</summary>
public sealed class AdoptionOptions
{
    /// <summary>Flagged below this acted-on rate.</summary>
    public double NoisyRate { get; set; } = 0.2;

    /// <summary>Over the cards of this period.</summary>
    public TimeSpan NoisyPeriod { get; set; } = TimeSpan.FromDays(14);

    /// <summary>Only with at least this many cards acted on or ignored: fewer say nothing.</summary>
    public int NoisyMinCards { get; set; } = 30;

    /// <summary>The weekly adoption card to each push's channel, with the figures of <see cref="NoisyPeriod"/>.</summary>
    public WeeklyReportOptions WeeklyReport { get; set; } = new();
}

/// <summary>When the weekly adoption card is due (UTC), and how often Callbacks looks whether it is.</summary>
public sealed class WeeklyReportOptions
{
    public bool Enabled { get; set; } = true;

    public DayOfWeek Day { get; set; } = DayOfWeek.Monday;

    public TimeOnly At { get; set; } = new(9, 0);

    public TimeSpan CheckInterval { get; set; } = TimeSpan.FromMinutes(15);
}

public sealed class SlackSigningOptions
{
    /// <summary>The app's signing secret, from the environment or a secret store. Without it every Slack request is rejected.</summary>
    public string? SigningSecret { get; set; }

    /// <summary>Slack's advice: refuse requests whose timestamp is further than this from now, against replays.</summary>
    public TimeSpan TimestampTolerance { get; set; } = TimeSpan.FromMinutes(5);
}

public sealed class HubSpotWebhookOptions
{
    /// <summary>The app's client secret, which signs its webhooks; from the environment or a secret store. Without it every webhook is refused.</summary>
    public string? ClientSecret { get; set; }

    /// <summary>The target URL as registered in the HubSpot app (the public one, as HubSpot signs it).</summary>
    public Uri? WebhookUrl { get; set; }

    /// <summary>HubSpot's rule: refuse a request whose timestamp is older than this.</summary>
    public TimeSpan TimestampTolerance { get; set; } = TimeSpan.FromMinutes(5);
}
