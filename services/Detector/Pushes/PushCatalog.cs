using Microsoft.Extensions.Options;

namespace ContextPush.Detector.Pushes;

/// <summary>The pushes loaded from the push folder, and the files that were skipped with their errors.</summary>
public sealed class PushCatalog
{
    private readonly string _folder;
    private readonly ILogger<PushCatalog> _logger;

    public PushCatalog(IOptions<DetectorOptions> options, ILogger<PushCatalog> logger)
    {
        _folder = Path.GetFullPath(options.Value.PushesPath);
        _logger = logger;
        Reload();
    }

    public IReadOnlyList<PushDefinition> Pushes { get; private set; } = [];

    public IReadOnlyList<PushLoadError> Errors { get; private set; } = [];

    public PushDefinition? Find(string id) => Pushes.FirstOrDefault(p => p.Id == id);

    public void Reload()
    {
        var (pushes, errors) = PushLoader.LoadFolder(_folder);
        Pushes = pushes;
        Errors = errors;
        foreach (var error in errors)
        {
            _logger.LogError("Push skipped: {File}: {Field}: {Problem}", error.File, error.Field, error.Message);
        }

        _logger.LogInformation("Loaded {PushCount} push(es) from {Folder}: {PushIds}", pushes.Count, _folder, string.Join(", ", pushes.Select(p => p.Id)));
    }
}
