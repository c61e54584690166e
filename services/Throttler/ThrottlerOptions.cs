namespace ContextPush.Throttler;

public sealed class ThrottlerOptions
{
    public const string SectionName = "Throttler";

    /// <summary>How often an account/topic may be approved when the push's throttle.frequency is not set.</summary>
    public TimeSpan DefaultFrequency { get; set; } = TimeSpan.FromDays(7);
}
