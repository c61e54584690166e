using ContextPush.Detector.State;
using Npgsql;

namespace ContextPush.Detector.Detection;

/// <summary>
/// Creates the tracking schema in detectordb before pushes load or run, and moves the default
/// warehouse's old tracking state there. A warehouse that is down does not stop the Detector: each run
/// asks for the move again first.
/// </summary>
public sealed class TrackingSchemaInitializer(DetectorState state, WarehouseSources warehouses, ILogger<TrackingSchemaInitializer> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await state.Source.ApplySchemaAsync(TrackingSql.Schema, cancellationToken);
        try
        {
            await warehouses.ReadyAsync(WarehouseSources.DefaultName, cancellationToken);
        }
        catch (NpgsqlException e)
        {
            logger.LogWarning("The default warehouse could not be checked for earlier tracking state ({Error}); the first run checks again", e.Message);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
