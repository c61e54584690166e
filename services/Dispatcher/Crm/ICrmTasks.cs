using ContextPush.Contracts;
using ContextPush.Dispatcher.Delivery;

namespace ContextPush.Dispatcher.Crm;

/// <summary>
/// One CRM's tasks as the Dispatcher writes and watches them: written idempotently on the DeltaId,
/// completed or moved later, and read back when someone closed them. Refusals are thrown as
/// <see cref="DeliveryRejectedException"/> in the CRM's words, outages as transient failures.
/// </summary>
public interface ICrmTasks
{
    /// <summary>"salesforce" or "hubspot", as a push names it in delivery.crm.system.</summary>
    string System { get; }

    /// <summary>Whether its credentials are configured.</summary>
    bool Enabled { get; }

    /// <summary>The settings a push must name its credentials by, for the refusal when they are missing.</summary>
    string Settings { get; }

    TimeSpan CompletionPollInterval { get; }

    /// <summary>Writes (or, after a crash, rewrites) the delta's task; the sent card's message id is the task's id and its card the fields written.</summary>
    Task<SentCard> WriteAsync(DeliveryApproved approved, CrmTaskSettings settings, Uri actionPage, CancellationToken ct);

    /// <summary>Completes a task it wrote, with a note; false when the task is gone from the CRM.</summary>
    Task<bool> CompleteAsync(CrmTaskStore.TaskRecord task, string note, CancellationToken ct);

    /// <summary>Moves a task's due date.</summary>
    Task MoveDueDateAsync(CrmTaskStore.TaskRecord task, DateOnly due, CancellationToken ct);

    /// <summary>Writes metric values onto the account itself (field or property name to value; null clears it).</summary>
    Task SyncFieldsAsync(CrmAccount account, IReadOnlyDictionary<string, decimal?> values, CancellationToken ct);

    /// <summary>The tasks it wrote that were closed at or after the watermark (to the second), oldest first.</summary>
    Task<IReadOnlyList<ClosedTask>> ClosedSinceAsync(DateTimeOffset watermark, CancellationToken ct);
}

/// <summary>A task closed in the CRM: by whom and when (the CRM's change time).</summary>
public sealed record ClosedTask(string TaskId, Guid DeltaId, string ClosedById, string? ClosedByName, DateTimeOffset ClosedAt);
