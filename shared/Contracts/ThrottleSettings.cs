namespace ContextPush.Contracts;

/// <summary>A push's throttle section: how often, how unusual and how many cards a day Throttler lets through.</summary>
public sealed record ThrottleSettings
{
    /// <summary>An account and topic at most once per this window; null for Throttler's default.</summary>
    public TimeSpan? Frequency { get; init; }

    /// <summary>The z-score rule.</summary>
    public PrioritySettings Priority { get; init; } = new();

    /// <summary>Cards per owner per day; the rest are held for one digest. Null for no budget.</summary>
    public int? OwnerBudget { get; init; }

    /// <summary>When the day's digest is sent, in <see cref="DigestTimeZone"/>.</summary>
    public TimeOnly DigestAt { get; init; } = new(17, 0);

    /// <summary>An IANA time zone name.</summary>
    public string DigestTimeZone { get; init; } = "UTC";
}
