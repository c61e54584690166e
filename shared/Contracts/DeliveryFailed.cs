namespace ContextPush.Contracts;

/// <summary>
/// Published by Dispatcher when a card could not be delivered: at once for a permanent refusal
/// (channel_not_found, invalid_auth, a webhook's 4xx), or after the retries of a transient one.
/// Consumed by Callbacks (adoption figures); listed per push by the Dispatcher's /deliveries.
/// </summary>
public sealed record DeliveryFailed
{
    /// <summary>Shared by every message of one delta's chain; created once by Detector.</summary>
    public required Guid CorrelationId { get; init; }

    /// <summary>The deterministic id of the delta; every stage is idempotent on it.</summary>
    public required Guid DeltaId { get; init; }

    /// <summary>The push that detected the delta.</summary>
    public required string PushId { get; init; }

    /// <summary>The cohort row's key.</summary>
    public required string AccountKey { get; init; }

    /// <summary>"slack", "teams", "email" or "console".</summary>
    public required string Channel { get; init; }

    /// <summary>Where the card was meant to go, when it was known.</summary>
    public string? Destination { get; init; }

    /// <summary>The platform's own error text (Slack's error code, the webhook's status and body, the SMTP reply).</summary>
    public required string Error { get; init; }

    /// <summary>True when retrying cannot help (a wrong channel, a revoked token).</summary>
    public required bool Permanent { get; init; }

    /// <summary>When the delivery was given up.</summary>
    public required DateTimeOffset FailedAt { get; init; }

    /// <summary>The account owner (<see cref="AccountOwner.Identity"/>) when the Assembler found one: adoption figures per owner. Absent from older publishers.</summary>
    public string? Owner { get; init; }
}
