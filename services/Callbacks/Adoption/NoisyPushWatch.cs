using ContextPush.Contracts;
using MassTransit;

namespace ContextPush.Callbacks.Adoption;

/// <summary>Looks for noisy pushes every hour; a push newly found is logged and announced as <see cref="NoisyPushFlagged"/>, once.</summary>
public sealed class NoisyPushWatch(NoisyPushes pushes, AdoptionStore adoption, IBus bus, TimeProvider clock, ILogger<NoisyPushWatch> logger) : BackgroundService
{
    public TimeSpan Interval { get; init; } = TimeSpan.FromHours(1);

    public async Task CheckAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var noisy = await pushes.FindAsync(now, ct);
        foreach (var push in noisy)
        {
            if (await adoption.FlagAsync(push.PushId, push.Explanation, now, ct))
            {
                logger.LogWarning("Noisy push flagged: {Explanation}", push.Explanation);
                await bus.Publish(new NoisyPushFlagged
                {
                    PushId = push.PushId, ActedOnRate = push.ActedOnRate, Cards = push.Cards, Since = push.Since,
                    SuggestedThreshold = push.SuggestedThreshold, SuggestedTolerance = push.SuggestedTolerance, Explanation = push.Explanation, FlaggedAt = now,
                }, ct);
            }
        }

        await adoption.UnflagAllButAsync([.. noisy.Select(p => p.PushId)], ct);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, clock);
        do
        {
            try
            {
                await CheckAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "Noisy pushes could not be checked; trying again in {Interval}", Interval);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
