using System.ComponentModel.DataAnnotations;

namespace ContextPush.Detector;

public sealed class DetectorOptions
{
    public const string SectionName = "Detector";

    /// <summary>The folder of push definitions (*.yaml), one push per file; a ConfigMap in Kubernetes.</summary>
    [Required]
    public string PushesPath { get; set; } = "pushes";

    /// <summary>How many deltas are published before their confirms are awaited together.</summary>
    [Range(1, 10_000)]
    public int PublishBatchSize { get; set; } = 500;

    /// <summary>The cohort query's statement timeout when a push sets none.</summary>
    public TimeSpan DefaultStatementTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How often the push folder is checked for changed files (a ConfigMap update, a git pull).</summary>
    public TimeSpan ReloadInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Whether pushes run on their cron schedules; off leaves only on-demand runs (tests, manual use).</summary>
    public bool SchedulesEnabled { get; set; } = true;

    /// <summary>
    /// Attempts of a run whose warehouse connection fails on its way (a restart, a fail-over): a retry
    /// re-emits the same DeltaIds, which the consumers absorb, so retrying is safe.
    /// </summary>
    [Range(1, 20)]
    public int RunAttempts { get; set; } = 5;

    /// <summary>The wait before a run's second attempt; it doubles for each further one.</summary>
    public TimeSpan RunRetryDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How long a batch of deltas may wait for the broker's confirms. A publish caught by a broker going
    /// away can wait on a channel that is never coming back; past this the attempt is tried again, on a
    /// new channel, and the DeltaIds it repeats are absorbed downstream.
    /// </summary>
    public TimeSpan PublishTimeout { get; set; } = TimeSpan.FromSeconds(90);
}
