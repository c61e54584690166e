using ContextPush.Contracts;
using MassTransit;

namespace ContextPush.Dispatcher.Crm;

/// <summary>
/// Reads, every <see cref="ICrmTasks.CompletionPollInterval"/>, the tasks it wrote in each configured
/// CRM that were closed since that CRM's watermark, and announces each one a person closed (not
/// ContextPush) as <see cref="CrmTaskCompleted"/>; Callbacks records it as the card being reviewed.
/// Polling by the CRM's change time needs nothing set up beyond the task writer's own access (no
/// public webhook endpoint, no subscription); every replica may poll, and a completion announced twice
/// is recorded once by Callbacks.
/// </summary>
public sealed class CrmCompletionWatch(
    IEnumerable<ICrmTasks> crms,
    CrmTaskStore tasks,
    IBus bus,
    TimeProvider clock,
    ILogger<CrmCompletionWatch> logger) : BackgroundService
{
    /// <summary>Announces the completions in one CRM since its watermark; answers how many.</summary>
    public async Task<int> PollAsync(string system, CancellationToken ct)
    {
        var crm = crms.Single(c => c.System == system);
        // A first poll starts from the first task ContextPush wrote there (else from now): nothing it wrote is missed,
        // and tasks closed before it wrote any are someone else's.
        var watermark = await tasks.WatermarkAsync(system, ct) ?? await tasks.FirstTaskAsync(system, ct) ?? clock.GetUtcNow();
        var announced = 0;
        foreach (var closed in await crm.ClosedSinceAsync(watermark, ct))
        {
            var seen = await tasks.SeenAsync(system, closed.TaskId, ct);
            var task = seen ? null : await tasks.OfDeltaAsync(closed.DeltaId, ct);
            if (!seen && task is null && await tasks.BeingWrittenAsync(closed.DeltaId, ct))
            {
                // Closed before its writing was recorded: read again from here at the next poll.
                break;
            }

            if (task is { ClosedAt: null })
            {
                await bus.Publish(new CrmTaskCompleted
                {
                    CorrelationId = task.CorrelationId, DeltaId = task.DeltaId, PushId = task.PushId, AccountKey = task.AccountKey, System = system,
                    TaskId = closed.TaskId, CompletedById = closed.ClosedById, CompletedByName = closed.ClosedByName, CompletedAt = closed.ClosedAt,
                    DeliveredAt = task.DeliveredAt,
                }, ct);
                // Closed now: a resolution or a click that follows leaves it as the person left it.
                await tasks.MarkClosedAsync(task.WorkId, closed.ClosedAt, ct);
                logger.LogInformation("{System} task {TaskId} of delta {DeltaId} completed by {ClosedBy}", system, closed.TaskId, task.DeltaId, closed.ClosedById);
                announced++;
            }

            // Marked after the publish: a crash in between announces it again, which Callbacks records once.
            await tasks.MarkSeenAsync(system, closed.TaskId, clock.GetUtcNow(), ct);
            watermark = closed.ClosedAt > watermark ? closed.ClosedAt : watermark;
        }

        await tasks.AdvanceAsync(system, watermark, ct);
        return announced;
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(crms.Where(c => c.Enabled).Select(c => WatchAsync(c, stoppingToken)));

    private async Task WatchAsync(ICrmTasks crm, CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(crm.CompletionPollInterval, clock);
        do
        {
            try
            {
                await PollAsync(crm.System, stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                // The CRM, our database or the broker away (or a request timed out): the watermark stays, and the next poll reads the same tasks again.
                logger.LogWarning(e, "Reading completed {System} tasks failed; trying again at the next poll", crm.System);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
