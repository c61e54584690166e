namespace ContextPush.Dispatcher.Redelivery;

/// <summary>
/// When a card whose platform was unavailable is tried next (null: its horizon has passed and it is
/// given up), how many attempts it has had and since when it fails.
/// </summary>
public sealed record RedeliveryPlan(int Attempts, DateTimeOffset FirstFailedAt, DateTimeOffset? DueAt, string LastError)
{
    public bool GivenUp => DueAt is null;
}
