namespace ContextPush.Callbacks.Actions;

/// <summary>One recorded action, as GET /actions lists it.</summary>
public sealed record ActionListing(
    Guid DeltaId, string PushId, string AccountKey, string Action, string ActorId, string? ActorName, string Channel, DateTimeOffset ActedAt,
    int? SnoozeDays, TimeSpan? TimeToAction);
