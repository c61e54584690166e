namespace ContextPush.Assembler.Sources.Slack;

public sealed class SlackLookupOptions
{
    public Uri BaseUrl { get; set; } = new("https://slack.com/api/");

    /// <summary>A bot token with users:read.email. Without it owners keep their email and get no mention.</summary>
    public string? BotToken { get; set; }
}
