namespace ContextPush.Throttler;

public sealed class ThrottlerOptions
{
    public const string SectionName = "Throttler";

    /// <summary>How often an account/topic may be approved when the push's throttle.frequency is not set.</summary>
    public TimeSpan DefaultFrequency { get; set; } = TimeSpan.FromDays(7);

    /// <summary>How often held deltas are checked for a due digest.</summary>
    public TimeSpan DigestPollInterval { get; set; } = TimeSpan.FromSeconds(15);
}
