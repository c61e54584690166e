using Npgsql;

namespace ContextPush.Detector.Detection;

/// <summary>Creates ContextPush's own schema in the warehouse before any run can start.</summary>
public sealed class TrackingSchemaInitializer(NpgsqlDataSource warehouse) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var command = warehouse.CreateCommand(TrackingSql.Schema);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
