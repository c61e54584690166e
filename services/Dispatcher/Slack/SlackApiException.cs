namespace ContextPush.Dispatcher.Slack;

/// <summary>Slack answered ok=false; <see cref="Error"/> is Slack's own error code (channel_not_found, invalid_auth…).</summary>
public sealed class SlackApiException(string method, string error) : Exception($"Slack {method} failed: {error}")
{
    public string Error { get; } = error;
}
