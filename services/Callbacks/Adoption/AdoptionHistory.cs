namespace ContextPush.Callbacks.Adoption;

/// <summary>A push's cards week by week (acted on and ignored), and its times to first action in buckets: what the page draws.</summary>
public sealed record AdoptionHistory(string PushId)
{
    /// <summary>The buckets' upper bounds, as shown: under a minute, ten minutes, an hour, a day, a week, then later.</summary>
    public static readonly string[] Buckets = ["< 1 min", "< 10 min", "< 1 h", "< 1 day", "< 7 days", "later"];

    public List<(DateTimeOffset Week, long ActedOn, long Ignored)> Weeks { get; } = [];

    public long[] TimeToFirstAction { get; } = new long[Buckets.Length];
}
