namespace ContextPush.ServiceDefaults.Idempotency;

/// <summary>The "Idempotency" section, shared by every stage that claims a DeltaId.</summary>
public sealed class IdempotencyOptions
{
    public const string SectionName = "Idempotency";

    /// <summary>
    /// How long a claim holds without a renewal. A live consumer renews it every third of this, however
    /// long its work takes; only a consumer that died lets it run out, and a copy then takes over.
    /// </summary>
    public TimeSpan Lease { get; set; } = TimeSpan.FromSeconds(15);
}
