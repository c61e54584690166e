namespace ContextPush.Detector.Detection;

/// <summary>Creates ContextPush's own schema in the default warehouse before pushes load or run.</summary>
public sealed class TrackingSchemaInitializer(WarehouseSources warehouses) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken) =>
        await warehouses.ReadyAsync(WarehouseSources.DefaultName, cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
