using ContextPush.Contracts;
using ContextPush.Dispatcher.Delivery;
using ContextPush.Dispatcher.Redelivery;
using ContextPush.Dispatcher.Telemetry;
using ContextPush.PushFiles;
using ContextPush.ServiceDefaults.Idempotency;

namespace ContextPush.Dispatcher.Crm;

/// <summary>
/// A push's <c>delivery.crm</c>: each approved delta becomes a task on its account, and its resolution
/// completes that task. A delivery of its own beside the card, claimed under its own work id: the card
/// and the task each happen exactly once, and a CRM that is down or refuses neither blocks nor doubles
/// the card. Transient failures wait in the same redelivery table as cards do.
/// </summary>
public sealed class CrmTaskDispatcher(
    DeliveryStore deliveries,
    CrmTaskStore tasks,
    CardDispatcher cards,
    IEnumerable<ICrmTasks> crms,
    ActionLinks links,
    TimeProvider clock,
    DispatcherMetrics metrics,
    ILogger<CrmTaskDispatcher> logger)
{
    /// <summary>False when the push asks for no CRM task; true once the task was written, closed, postponed or refused.</summary>
    public async Task<bool> DispatchAsync(DeliveryApproved approved, CancellationToken ct)
    {
        if (PushSettingsReader.Of(approved.Delta).Delivery.CrmTask is not { } settings)
        {
            return false;
        }

        var system = settings.System;
        var workId = CrmTaskWork.IdFor(approved.DeltaId, system);
        var delta = approved.Delta;
        var claim = await deliveries.TryClaimAsync(workId, approved.CorrelationId, delta.PushId, delta.AccountKey, ct, deltaOf: approved.DeltaId);
        try
        {
            var ran = await deliveries.RunAsync(claim.Ticket, held => delta.Kind == DeltaKind.Left
                    ? CloseOnResolutionAsync(approved, system, held)
                    : WriteAsync(approved, settings, held),
                async task =>
                {
                    await deliveries.CompleteAsync(workId, task, clock.GetUtcNow(), ct);
                    metrics.Sent(system, clock.GetUtcNow() - delta.DetectedAt);
                }, logger, ct, settledByCaller: e => e is DeliveryRejectedException || TransientDelivery.Is(e, ct));
            if (!ran)
            {
                logger.LogInformation("The {System} task of delta {DeltaId} was already written; redelivery ignored", system, approved.DeltaId);
            }
        }
        catch (DeliveryRejectedException rejected)
        {
            await deliveries.FailAsync(workId, system, rejected.Destination, rejected.PlatformError, clock.GetUtcNow(), ct);
            metrics.NotSent(system, permanent: true);
            logger.LogWarning("The {System} task of delta {DeltaId} (push {PushId}) was not written: {PlatformError}",
                system, approved.DeltaId, delta.PushId, rejected.PlatformError);
        }
        catch (Exception e) when (TransientDelivery.Is(e, ct))
        {
            await cards.PostponeAsync(claim.Ticket, system, new CrmTaskDue(approved), e, ct);
        }

        return true;
    }

    private async Task<SentCard> WriteAsync(DeliveryApproved approved, CrmTaskSettings settings, CancellationToken ct)
    {
        var crm = Crm(settings.System);
        if (!crm.Enabled)
        {
            throw new DeliveryRejectedException(settings.System, null,
                $"push {approved.Delta.PushId}: delivery.crm.system is {settings.System}, but {crm.Settings} is not configured");
        }

        if (approved.Context.Crm?.System != settings.System)
        {
            throw new DeliveryRejectedException(settings.System, null,
                $"push {approved.Delta.PushId}: the account's {settings.System} ids are unknown; a task needs context.owner: {settings.System}");
        }

        var page = links.For(approved, approved.Context.Crm.OwnerId ?? settings.System, settings.System).Review;
        var task = await crm.WriteAsync(approved, settings, page, ct);
        if (settings.Fields.Count > 0)
        {
            // Before the task is recorded: a field the CRM refuses fails the delivery in its words, and a retry writes both again.
            await crm.SyncFieldsAsync(approved.Context.Crm, settings.Fields.ToDictionary(f => f.Value, f => approved.Delta.Metrics.GetValueOrDefault(f.Key)), ct);
        }

        logger.LogInformation("Delta {DeltaId} of push {PushId} written as {System} task {TaskId}", approved.DeltaId, approved.Delta.PushId, settings.System, task.MessageId);
        return task;
    }

    /// <summary>The CRM a push names; the push settings only let through the ones there are.</summary>
    private ICrmTasks Crm(string system) => crms.Single(c => c.System == system);

    /// <summary>The account left the cohort: its open task is completed, with a note saying why.</summary>
    private async Task<SentCard> CloseOnResolutionAsync(DeliveryApproved resolution, string system, CancellationToken ct)
    {
        if (await tasks.LatestOpenAsync(resolution.Delta.PushId, resolution.Delta.AccountKey, system, ct) is not { } open)
        {
            return new SentCard(system, "(no open task)", "");
        }

        var note = $"Resolved {clock.GetUtcNow():yyyy-MM-dd HH:mm} UTC by ContextPush: {resolution.Context.Headline}";
        await CloseAsync(open, note, ct);
        return new SentCard(system, open.Destination, open.TaskId);
    }

    /// <summary>Completes a task ContextPush wrote, adding a note to it.</summary>
    public async Task CloseAsync(CrmTaskStore.TaskRecord task, string note, CancellationToken ct)
    {
        await tasks.MarkClosedAsync(task.WorkId, clock.GetUtcNow(), ct);
        try
        {
            if (!await Crm(task.System).CompleteAsync(task, note, ct))
            {
                logger.LogInformation("{System} task {TaskId} of delta {DeltaId} is gone; nothing to complete", task.System, task.TaskId, task.DeltaId);
            }
        }
        catch
        {
            await tasks.MarkClosedAsync(task.WorkId, null, CancellationToken.None);
            throw;
        }
    }

    /// <summary>A snooze moves the task's due date to the day the card may come back.</summary>
    public Task PostponeAsync(CrmTaskStore.TaskRecord task, int days, DateTimeOffset actedAt, CancellationToken ct) =>
        Crm(task.System).MoveDueDateAsync(task, DateOnly.FromDateTime(actedAt.UtcDateTime).AddDays(days), ct);
}
