namespace ContextPush.Contracts;

/// <summary>One delta delivered in a digest. Part of <see cref="DigestDelivered"/>.</summary>
/// <param name="DeltaId">The delta's id.</param>
/// <param name="AccountKey">The cohort row's key of its account.</param>
public sealed record DigestedDelta(Guid DeltaId, string AccountKey);
