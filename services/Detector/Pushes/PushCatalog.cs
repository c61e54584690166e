using ContextPush.Detector.Telemetry;
using ContextPush.PushFiles;
using Microsoft.Extensions.Options;

namespace ContextPush.Detector.Pushes;

/// <summary>
/// The valid pushes from the push folder, and the files skipped with their errors. Reloaded when the
/// folder's files change; a broken file is reported and skipped, the others keep running.
/// </summary>
public sealed class PushCatalog(IOptions<DetectorOptions> options, PushValidator validator, DetectorMetrics metrics, ILogger<PushCatalog> logger)
{
    private readonly string _folder = Path.GetFullPath(options.Value.PushesPath);
    private readonly SemaphoreSlim _reloading = new(1, 1);
    private string _fingerprint = "";

    public IReadOnlyList<PushDefinition> Pushes { get; private set; } = [];

    public IReadOnlyList<PushLoadError> Errors { get; private set; } = [];

    public PushDefinition? Find(string id) => Pushes.FirstOrDefault(p => p.Id == id);

    /// <summary>Reloads when any push file was added, changed or removed since the last load (or always, when forced).</summary>
    public async Task<bool> ReloadAsync(bool force, CancellationToken ct)
    {
        await _reloading.WaitAsync(ct);
        try
        {
            var fingerprint = Fingerprint();
            if (!force && fingerprint == _fingerprint)
            {
                return false;
            }

            var (pushes, errors) = PushLoader.LoadFolder(_folder);
            var valid = new List<PushDefinition>();
            var allErrors = errors.ToList();
            foreach (var push in pushes)
            {
                if (await validator.ValidateAsync(push, ct) is { } error)
                {
                    allErrors.Add(error);
                }
                else
                {
                    valid.Add(push);
                }
            }

            Pushes = valid;
            Errors = allErrors;
            _fingerprint = fingerprint;
            metrics.InvalidPushes(allErrors.Count);
            foreach (var error in allErrors)
            {
                logger.LogError("Push skipped: {File}: {Field}: {Problem}", error.File, error.Field, error.Message);
            }

            logger.LogInformation("Loaded {PushCount} push(es) from {Folder}: {PushIds}", valid.Count, _folder, string.Join(", ", valid.Select(p => p.Id)));
            return true;
        }
        finally
        {
            _reloading.Release();
        }
    }

    /// <summary>Names, sizes and times of the push files: cheap to compare every few seconds.</summary>
    private string Fingerprint() => !Directory.Exists(_folder)
        ? "(missing)"
        : string.Join('|', new DirectoryInfo(_folder).EnumerateFiles()
            // Templates (.liquid) count too: a wording change reloads the pushes that use it.
            // A Kubernetes ConfigMap volume holds links to files it swaps on update: the files' own
            // size and time are what change, so links are followed.
            .Where(f => f.Extension is ".yaml" or ".yml" or ".liquid")
            .OrderBy(f => f.Name, StringComparer.Ordinal)
            .Select(f => (f.Name, Target: f.ResolveLinkTarget(returnFinalTarget: true) as FileInfo ?? f))
            .Select(f => $"{f.Name}:{f.Target.FullName}:{f.Target.Length}:{f.Target.LastWriteTimeUtc.Ticks}"));
}
