using System.Diagnostics;
using ContextPush.Detector;
using ContextPush.Detector.Detection;
using ContextPush.Detector.Pushes;
using Microsoft.Extensions.Logging.Abstractions;

namespace ContextPush.ComponentTests.Detector;

/// <summary>A push's cron schedule is read in its own time zone: "0 8 * * *" in Berlin is 06:00 UTC in summer.</summary>
public sealed class ScheduleTimeZoneTests(ServersFixture fixture) : IAsyncLifetime
{
    private DetectorTestBed _bed = null!;
    private string _folder = null!;

    public async ValueTask InitializeAsync()
    {
        _bed = await DetectorTestBed.StartAsync(fixture);
        _folder = Directory.CreateTempSubdirectory("pushes-").FullName;
    }

    public async ValueTask DisposeAsync()
    {
        await _bed.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task A_daily_schedule_fires_at_eight_in_the_morning_of_its_time_zone()
    {
        var berlin = DetectorTestBed.Push.Replace("schedule: \"0 8 * * *\"", "schedule: \"0 8 * * *\"\ntime_zone: Europe/Berlin");
        await File.WriteAllTextAsync(Path.Combine(_folder, "churn-risk.yaml"), berlin, TestContext.Current.CancellationToken);
        var options = Microsoft.Extensions.Options.Options.Create(new DetectorOptions { PushesPath = _folder });
        var catalog = new PushCatalog(options, new PushValidator(_bed.Sources), _bed.Metrics, NullLogger<PushCatalog>.Instance);
        await catalog.ReloadAsync(force: true, TestContext.Current.CancellationToken);
        Assert.Empty(catalog.Errors);
        Assert.Equal("Europe/Berlin", Assert.Single(catalog.Pushes).TimeZone.Id);

        // Real time, shifted to three seconds before 06:00 UTC on a summer day: 07:59:57 in Berlin (UTC+2).
        // Read as UTC, the schedule's next tick would be two hours away.
        var clock = new ShiftedClock(new DateTimeOffset(2026, 7, 1, 5, 59, 57, TimeSpan.Zero));
        var scheduler = new PushScheduler(catalog, _bed.Runner(clock: clock), _bed.Sources, options, clock, NullLogger<PushScheduler>.Instance);
        await scheduler.StartAsync(TestContext.Current.CancellationToken);
        try
        {
            await Eventually.UntilAsync("the 08:00 Berlin tick claimed", async () =>
                await _bed.ScalarAsync<long>("SELECT count(*) FROM contextpush.schedule_ticks WHERE push_id = 'churn-risk'") > 0, TimeSpan.FromSeconds(30));
            var due = await _bed.ScalarAsync<DateTime>("SELECT min(due_at) FROM contextpush.schedule_ticks WHERE push_id = 'churn-risk'");
            Assert.Equal(new DateTime(2026, 7, 1, 6, 0, 0, DateTimeKind.Utc), due.ToUniversalTime());
        }
        finally
        {
            await scheduler.StopAsync(CancellationToken.None);
        }
    }

    /// <summary>The real clock moved to a chosen moment: time passes as usual from there.</summary>
    private sealed class ShiftedClock(DateTimeOffset start) : TimeProvider
    {
        private readonly long _started = Stopwatch.GetTimestamp();

        public override DateTimeOffset GetUtcNow() => start + Stopwatch.GetElapsedTime(_started);
    }
}
