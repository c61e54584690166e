namespace ContextPush.Contracts;

/// <summary>
/// Published by Dispatcher when the owner completed, in the CRM, a task it wrote for a delta. Consumed by
/// Callbacks, which records it as the card being reviewed (once) and feeds it back like a click.
/// </summary>
public sealed record CrmTaskCompleted
{
    /// <summary>The delivery chain's correlation id.</summary>
    public required Guid CorrelationId { get; init; }

    /// <summary>The delta the task was written for (see <see cref="DeltaDetected.DeltaId"/>).</summary>
    public required Guid DeltaId { get; init; }

    /// <summary>The push (its file's id) that detected the delta.</summary>
    public required string PushId { get; init; }

    /// <summary>The cohort row's key, the key columns' values joined with '|'.</summary>
    public required string AccountKey { get; init; }

    /// <summary>"salesforce".</summary>
    public required string System { get; init; }

    /// <summary>The CRM's id of the task.</summary>
    public required string TaskId { get; init; }

    /// <summary>The CRM's id of the person who completed it (a Salesforce User id).</summary>
    public required string CompletedById { get; init; }

    /// <summary>That person's name, when the CRM gave it.</summary>
    public string? CompletedByName { get; init; }

    /// <summary>When the CRM recorded the completion.</summary>
    public required DateTimeOffset CompletedAt { get; init; }

    /// <summary>When the task was written: the time to action counts from here.</summary>
    public required DateTimeOffset DeliveredAt { get; init; }
}
