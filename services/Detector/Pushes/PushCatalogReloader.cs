using Microsoft.Extensions.Options;

namespace ContextPush.Detector.Pushes;

/// <summary>Loads the pushes at start (before the scheduler) and reloads them when their files change.</summary>
public sealed class PushCatalogReloader(PushCatalog catalog, IOptions<DetectorOptions> options, ILogger<PushCatalogReloader> logger)
    : BackgroundService
{
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await catalog.ReloadAsync(force: true, cancellationToken);
        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.ReloadInterval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await catalog.ReloadAsync(force: false, stoppingToken);
            }
            catch (IOException e)
            {
                // A ConfigMap swap can leave the folder briefly half-written; the next tick sees it whole.
                logger.LogWarning(e, "Reading the push folder failed; retrying at the next check");
            }
        }
    }
}
