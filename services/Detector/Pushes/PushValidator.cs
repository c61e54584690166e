using ContextPush.Detector.Detection;
using ContextPush.PushFiles;
using Npgsql;

namespace ContextPush.Detector.Pushes;

/// <summary>Checks each push against the warehouse it names, through the Detector's own connections.</summary>
public sealed class PushValidator(WarehouseSources warehouses)
{
    public async Task<PushLoadError?> ValidateAsync(PushDefinition push, CancellationToken ct)
    {
        NpgsqlDataSource warehouse;
        try
        {
            warehouse = warehouses.Get(push.Warehouse);
        }
        catch (InvalidOperationException e)
        {
            return new PushLoadError(push.File, "warehouse", e.Message);
        }

        return await CohortCheck.CheckAsync(warehouse, push, ct);
    }
}
