namespace ContextPush.Callbacks;

public sealed class CallbacksOptions
{
    public const string SectionName = "Callbacks";

    public SlackSigningOptions Slack { get; set; } = new();

    /// <summary>Larger bodies are rejected before they are parsed; Slack's payloads are a few KB.</summary>
    public int MaxBodyBytes { get; set; } = 64 * 1024;
}

public sealed class SlackSigningOptions
{
    /// <summary>The app's signing secret, from the environment or a secret store. Without it every Slack request is rejected.</summary>
    public string? SigningSecret { get; set; }

    /// <summary>Slack's advice: refuse requests whose timestamp is further than this from now, against replays.</summary>
    public TimeSpan TimestampTolerance { get; set; } = TimeSpan.FromMinutes(5);
}
