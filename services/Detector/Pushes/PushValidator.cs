using ContextPush.Detector.Detection;
using ContextPush.Detector.Warehouses;
using ContextPush.PushFiles;
using ContextPush.Warehouses;

namespace ContextPush.Detector.Pushes;

/// <summary>Checks each push against the warehouse it names, through the Detector's own connections.</summary>
public sealed class PushValidator(WarehouseSources warehouses)
{
    public async Task<PushLoadError?> ValidateAsync(PushDefinition push, CancellationToken ct)
    {
        IWarehouseConnector connector;
        try
        {
            if (warehouses.EngineOf(push.Warehouse) == WarehouseEngine.Postgres)
            {
                return await CohortCheck.CheckAsync(warehouses.Get(push.Warehouse), push, ct);
            }

            connector = warehouses.Connector(push.Warehouse);
        }
        catch (InvalidOperationException e)
        {
            return new PushLoadError(push.File, "warehouse", e.Message);
        }

        try
        {
            var columns = await connector.DescribeCohortAsync(push.CohortSql, ct);
            var foldsNames = warehouses.EngineOf(push.Warehouse) == WarehouseEngine.Snowflake;
            return await CohortCheck.LocateAsync(CohortCheck.CheckColumns(push, [.. columns.Select(c => (c.Name, c.Type, c.IsNumeric))], foldsNames), push, ct);
        }
        catch (CohortQueryException e)
        {
            return await CohortCheck.LocateAsync(new PushLoadError(push.File, "cohort",
                $"the SQL does not run on '{push.Warehouse}': {e.Message}; fix the query so it is one read-only SELECT"), push, ct);
        }
        catch (WarehouseUnavailableException e)
        {
            return new PushLoadError(push.File, "warehouse", $"'{push.Warehouse}' cannot be reached to check the push: {e.Message}");
        }
    }
}
