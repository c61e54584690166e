using ContextPush.PushFiles;
using System.Globalization;
using ContextPush.Detector.Pushes;
using ContextPush.Detector.State;
using Cronos;
using MassTransit;
using Microsoft.Extensions.Options;

namespace ContextPush.Detector.Detection;

/// <summary>
/// Runs each valid push on its own cron schedule, in its own time zone. With several replicas every
/// one computes the same due times; the first to claim a slot in detectordb runs it, so a tick runs
/// once, not once per replica.
/// </summary>
public sealed class PushScheduler(PushCatalog catalog, PushRunner runner, DetectorState state, IOptions<DetectorOptions> options,
    TimeProvider clock, ILogger<PushScheduler> logger) : BackgroundService
{
    private readonly string _replica = $"{Environment.MachineName}:{Environment.ProcessId}";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.SchedulesEnabled)
        {
            logger.LogInformation("Schedules are disabled; pushes run only when triggered through the API");
            return;
        }

        var next = new Dictionary<string, (string Schedule, DateTimeOffset Due)>();
        while (!stoppingToken.IsCancellationRequested)
        {
            var now = clock.GetUtcNow();
            foreach (var push in catalog.Pushes)
            {
                if (!next.TryGetValue(push.Id, out var slot) || slot.Schedule != push.Schedule)
                {
                    next[push.Id] = (push.Schedule, NextOccurrence(push, now));
                    continue;
                }

                if (slot.Due <= now)
                {
                    next[push.Id] = (push.Schedule, NextOccurrence(push, now));
                    // One slow push must not hold back the others' ticks.
                    _ = Task.Run(() => RunIfClaimedAsync(push, slot.Due, stoppingToken), stoppingToken);
                }
            }

            await Task.Delay(TimeSpan.FromMilliseconds(250), clock, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    private async Task RunIfClaimedAsync(PushDefinition push, DateTimeOffset due, CancellationToken ct)
    {
        try
        {
            await using var claim = state.CreateCommand(TrackingSql.ClaimTick);
            claim.Parameters.AddWithValue("push", push.Id);
            claim.Parameters.AddWithValue("due", due);
            claim.Parameters.AddWithValue("replica", _replica);
            if (await claim.ExecuteNonQueryAsync(ct) == 0)
            {
                logger.LogDebug("Tick {Due} of push {PushId} was claimed by another replica", due.ToString("u", CultureInfo.InvariantCulture), push.Id);
                return;
            }

            await runner.RunAsync(push, "schedule", NewId.NextGuid(), ct);
        }
        catch (Exception e) when (e is Npgsql.NpgsqlException or TimeoutException)
        {
            logger.LogError(e, "Tick of push {PushId} could not be claimed; it runs at its next tick", push.Id);
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            // Nothing awaits this task: an error not logged here would vanish, and the push with it.
            logger.LogError(e, "Tick {Due} of push {PushId} failed: {Error}", due.ToString("u", CultureInfo.InvariantCulture), push.Id, e.Message);
        }
    }

    private static DateTimeOffset NextOccurrence(PushDefinition push, DateTimeOffset after)
    {
        var format = push.Schedule.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length == 6 ? CronFormat.IncludeSeconds : CronFormat.Standard;
        // In UTC: Cronos answers in the zone's offset, and Npgsql writes only UTC to the tick's timestamptz.
        return CronExpression.Parse(push.Schedule, format).GetNextOccurrence(after, push.TimeZone)?.ToUniversalTime() ?? DateTimeOffset.MaxValue;
    }
}
