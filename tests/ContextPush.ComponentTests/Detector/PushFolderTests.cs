using System.Diagnostics;
using ContextPush.Detector;
using ContextPush.Detector.Detection;
using ContextPush.Detector.Pushes;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ContextPush.ComponentTests.Detector;

/// <summary>
/// The push folder as the Detector reads it: a schedule in the push's own time zone, and the folder as
/// Kubernetes mounts a ConfigMap (links to files in a folder that an update swaps whole).
/// </summary>
public sealed class PushFolderTests(ServersFixture fixture) : IAsyncLifetime
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
    public async Task A_ConfigMap_update_is_picked_up_without_a_restart()
    {
        var ct = TestContext.Current.CancellationToken;
        // The kubelet's layout: churn-risk.yaml -> ..data/churn-risk.yaml, ..data -> ..<timestamp>/
        await WriteVersionAsync("..2026_11_30_08_00_00.1", DetectorTestBed.Push, ct);
        File.CreateSymbolicLink(Path.Combine(_folder, "..data"), "..2026_11_30_08_00_00.1");
        File.CreateSymbolicLink(Path.Combine(_folder, "churn-risk.yaml"), Path.Combine("..data", "churn-risk.yaml"));
        var (catalog, _) = await CatalogAsync();
        Assert.Equal("0 8 * * *", Assert.Single(catalog.Pushes).Schedule);

        // An update: the new version in a folder of its own, then ..data swapped to it in one rename.
        await WriteVersionAsync("..2026_11_30_09_00_00.2", DetectorTestBed.Push.Replace("0 8 * * *", "30 9 * * 1-5"), ct);
        File.CreateSymbolicLink(Path.Combine(_folder, "..data_tmp"), "..2026_11_30_09_00_00.2");
        await RenameAsync("..data_tmp", "..data", ct);

        Assert.True(await catalog.ReloadAsync(force: false, ct), "the update went unnoticed");
        Assert.Equal("30 9 * * 1-5", Assert.Single(catalog.Pushes).Schedule);
        Assert.False(await catalog.ReloadAsync(force: false, ct), "reloaded with nothing changed");
    }

    [Fact]
    public async Task A_daily_schedule_fires_at_eight_in_the_morning_of_its_time_zone()
    {
        var berlin = DetectorTestBed.Push.Replace("schedule: \"0 8 * * *\"", "schedule: \"0 8 * * *\"\ntime_zone: Europe/Berlin");
        await File.WriteAllTextAsync(Path.Combine(_folder, "churn-risk.yaml"), berlin, TestContext.Current.CancellationToken);
        var (catalog, options) = await CatalogAsync();
        Assert.Empty(catalog.Errors);
        Assert.Equal("Europe/Berlin", Assert.Single(catalog.Pushes).TimeZone.Id);

        // Real time, shifted to three seconds before 06:00 UTC on a summer day: 07:59:57 in Berlin (UTC+2).
        // Read as UTC, the schedule's next tick would be two hours away.
        var clock = new ShiftedClock(new DateTimeOffset(2026, 7, 1, 5, 59, 57, TimeSpan.Zero));
        var scheduler = new PushScheduler(catalog, _bed.Runner(clock: clock), _bed.State, options, clock, NullLogger<PushScheduler>.Instance);
        await scheduler.StartAsync(TestContext.Current.CancellationToken);
        try
        {
            await Eventually.UntilAsync("the 08:00 Berlin tick claimed", async () =>
                await _bed.StateScalarAsync<long>("SELECT count(*) FROM contextpush.schedule_ticks WHERE push_id = 'churn-risk'") > 0, TimeSpan.FromSeconds(30));
            var due = await _bed.StateScalarAsync<DateTime>("SELECT min(due_at) FROM contextpush.schedule_ticks WHERE push_id = 'churn-risk'");
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

    private async Task<(PushCatalog Catalog, IOptions<DetectorOptions> Options)> CatalogAsync()
    {
        var options = Microsoft.Extensions.Options.Options.Create(new DetectorOptions { PushesPath = _folder });
        var catalog = new PushCatalog(options, new PushValidator(_bed.Sources), _bed.Metrics, NullLogger<PushCatalog>.Instance);
        await catalog.ReloadAsync(force: true, TestContext.Current.CancellationToken);
        return (catalog, options);
    }

    /// <summary>rename(2), as the kubelet swaps the link: .NET's moves follow a link to a folder.</summary>
    private async Task RenameAsync(string from, string to, CancellationToken ct)
    {
        using var mv = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("mv", ["-T", from, to]) { WorkingDirectory = _folder })!;
        await mv.WaitForExitAsync(ct);
        Assert.Equal(0, mv.ExitCode);
    }

    private async Task WriteVersionAsync(string version, string push, CancellationToken ct)
    {
        Directory.CreateDirectory(Path.Combine(_folder, version));
        await File.WriteAllTextAsync(Path.Combine(_folder, version, "churn-risk.yaml"), push, ct);
    }
}
