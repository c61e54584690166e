using Cronos;
using ContextPush.Detector.Pushes;
using Microsoft.Extensions.Options;

namespace ContextPush.Detector.Detection;

/// <summary>Runs each valid push on its own cron schedule, in its own time zone.</summary>
public sealed class PushScheduler(PushCatalog catalog, PushRunner runner, IOptions<DetectorOptions> options, TimeProvider clock,
    ILogger<PushScheduler> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.SchedulesEnabled)
        {
            logger.LogInformation("Schedules are disabled; pushes run only when triggered through the API");
            return;
        }

        var next = new Dictionary<string, DateTimeOffset>();
        while (!stoppingToken.IsCancellationRequested)
        {
            var now = clock.GetUtcNow();
            foreach (var push in catalog.Pushes)
            {
                var cron = CronExpression.Parse(push.Schedule, push.Schedule.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length == 6 ? CronFormat.IncludeSeconds : CronFormat.Standard);
                if (!next.TryGetValue(push.Id, out var due))
                {
                    next[push.Id] = cron.GetNextOccurrence(now, push.TimeZone) ?? DateTimeOffset.MaxValue;
                    continue;
                }

                if (due <= now)
                {
                    next[push.Id] = cron.GetNextOccurrence(now, push.TimeZone) ?? DateTimeOffset.MaxValue;
                    // One slow push must not hold back the others' ticks.
                    _ = Task.Run(() => runner.RunAsync(push, "schedule", MassTransit.NewId.NextGuid(), stoppingToken), stoppingToken);
                }
            }

            await Task.Delay(TimeSpan.FromMilliseconds(500), clock, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }
}
