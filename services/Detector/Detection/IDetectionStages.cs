using ContextPush.PushFiles;
using ContextPush.Detector.Runs;

namespace ContextPush.Detector.Detection;

/// <summary>
/// Notified between a run's stages. The window between "deltas published" and "state recorded" is
/// the one a crash can hit; tests inject that crash here to prove the deltas are re-emitted.
/// </summary>
public interface IDetectionStages
{
    Task DeltasPublishedAsync(PushDefinition push, RunRecord run, CancellationToken ct);
}

public sealed class NoDetectionStages : IDetectionStages
{
    public Task DeltasPublishedAsync(PushDefinition push, RunRecord run, CancellationToken ct) => Task.CompletedTask;
}
