namespace ContextPush.Dispatcher;

public sealed class DispatcherOptions
{
    public const string SectionName = "Dispatcher";

    public SlackOptions Slack { get; set; } = new();
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
    [System.ComponentModel.DataAnnotations.Range(0.01, 100)]
    public double MessagesPerSecondPerChannel { get; set; } = 1;

    public bool Enabled => !string.IsNullOrWhiteSpace(BotToken);
}
