namespace ContextPush.Dispatcher.Delivery;

/// <summary>
/// The platform refused the card for a reason retrying cannot fix. Carries the platform's own error
/// text so the push's owner can see exactly what to change.
/// </summary>
public sealed class DeliveryRejectedException(string channel, string? destination, string platformError)
    : Exception($"{channel} refused the card for {destination ?? "(no destination)"}: {platformError}")
{
    public string Channel { get; } = channel;

    public string? Destination { get; } = destination;

    public string PlatformError { get; } = platformError;
}
