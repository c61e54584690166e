using ContextPush.Contracts;
using ContextPush.Dispatcher.Salesforce;
using MassTransit;
using Microsoft.Extensions.Options;

namespace ContextPush.Dispatcher.Crm;

/// <summary>
/// Reads, every <see cref="SalesforceOptions.CompletionPollInterval"/>, the tasks it wrote that were
/// closed since its watermark, and announces each one the owner closed (not ContextPush) as
/// <see cref="CrmTaskCompleted"/>; Callbacks records it as the card being reviewed. Polling by
/// SystemModstamp needs nothing set up in the org beyond the task writer's own access; every replica
/// may poll, and a completion announced twice is recorded once by Callbacks.
/// </summary>
public sealed class SalesforceCompletionWatch(
    SalesforceTasks salesforce,
    CrmTaskStore tasks,
    IBus bus,
    IOptions<DispatcherOptions> options,
    TimeProvider clock,
    ILogger<SalesforceCompletionWatch> logger) : BackgroundService
{
    private const string System = "salesforce";

    /// <summary>Announces the completions since the watermark; answers how many.</summary>
    public async Task<int> PollAsync(CancellationToken ct)
    {
        // A first poll starts from now: tasks closed before ContextPush watched are history, not actions.
        var watermark = await tasks.WatermarkAsync(System, ct) ?? clock.GetUtcNow();
        var announced = 0;
        foreach (var closed in await salesforce.ClosedSinceAsync(watermark, ct))
        {
            if (!await tasks.SeenAsync(System, closed.TaskId, ct) && await tasks.OfDeltaAsync(closed.DeltaId, ct) is { ClosedAt: null } task)
            {
                await bus.Publish(new CrmTaskCompleted
                {
                    CorrelationId = task.CorrelationId, DeltaId = task.DeltaId, PushId = task.PushId, AccountKey = task.AccountKey, System = System,
                    TaskId = closed.TaskId, CompletedById = closed.ClosedById, CompletedByName = closed.ClosedByName, CompletedAt = closed.ClosedAt,
                    DeliveredAt = task.DeliveredAt,
                }, ct);
                // Closed now: a resolution or a click that follows leaves it as the owner left it.
                await tasks.MarkClosedAsync(task.WorkId, closed.ClosedAt, ct);
                logger.LogInformation("Salesforce task {TaskId} of delta {DeltaId} completed by {ClosedBy}", closed.TaskId, task.DeltaId, closed.ClosedById);
                announced++;
            }

            // Marked after the publish: a crash in between announces it again, which Callbacks records once.
            await tasks.MarkSeenAsync(System, closed.TaskId, clock.GetUtcNow(), ct);
            watermark = closed.ClosedAt > watermark ? closed.ClosedAt : watermark;
        }

        await tasks.AdvanceAsync(System, watermark, ct);
        return announced;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value.Salesforce;
        if (!settings.Enabled)
        {
            return;
        }

        using var timer = new PeriodicTimer(settings.CompletionPollInterval, clock);
        do
        {
            try
            {
                await PollAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Salesforce, our database or the broker away: the watermark stays, and the next poll reads the same tasks again.
                logger.LogWarning(e, "Reading completed Salesforce tasks failed; trying again at the next poll");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
