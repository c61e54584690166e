namespace ContextPush.Dispatcher.Slack;

/// <summary>Slack answered ok=false with an error retrying may fix (ratelimited, internal_error…); permanent ones become <see cref="Delivery.DeliveryRejectedException"/>.</summary>
public sealed class SlackApiException(string method, string error) : Exception($"Slack {method} failed: {error}")
{
    public string Error { get; } = error;
}
