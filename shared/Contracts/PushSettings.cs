namespace ContextPush.Contracts;

/// <summary>
/// A push's context, throttle and delivery sections, typed and validated by Detector when the push
/// loads, so no later stage parses a setting. Carried on <see cref="DeltaDetected"/>; read by
/// Assembler (context), Throttler (throttle) and Dispatcher (delivery).
/// </summary>
public sealed record PushSettings
{
    /// <summary>Read by Assembler.</summary>
    public ContextSettings Context { get; init; } = new();

    /// <summary>Read by Throttler.</summary>
    public ThrottleSettings Throttle { get; init; } = new();

    /// <summary>Read by Dispatcher.</summary>
    public DeliverySettings Delivery { get; init; } = new();
}
