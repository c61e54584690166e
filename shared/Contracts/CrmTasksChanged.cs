namespace ContextPush.Contracts;

/// <summary>
/// Published by Callbacks when a CRM said, in a verified webhook, that tasks changed. Consumed by
/// Dispatcher, which reads that CRM's closed tasks at once instead of at its next poll.
/// </summary>
public sealed record CrmTasksChanged
{
    /// <summary>"hubspot".</summary>
    public required string System { get; init; }

    /// <summary>The tasks the webhook named (the CRM's ids).</summary>
    public required IReadOnlyList<string> TaskIds { get; init; }

    /// <summary>When Callbacks received the webhook.</summary>
    public required DateTimeOffset ReceivedAt { get; init; }
}
