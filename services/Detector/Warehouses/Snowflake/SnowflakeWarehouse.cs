using System.Net;
using System.Runtime.CompilerServices;
using System.Text.Json;
using ContextPush.Detector.Detection;
using ContextPush.Detector.Warehouses.Rest;
using ContextPush.PushFiles;
using ContextPush.Warehouses;
using ContextPush.Warehouses.Snowflake;

namespace ContextPush.Detector.Warehouses.Snowflake;

/// <summary>
/// A Snowflake warehouse through its SQL API, authenticated with a key pair. Snowflake has no read-only
/// session: the Detector's role is granted SELECT only, the cohort runs as the subquery of a SELECT
/// (where no DML can stand) and as the request's single statement. Snowflake upper-cases unquoted
/// names, so the push's key and metric columns are found regardless of case.
/// </summary>
public sealed class SnowflakeWarehouse(SnowflakeStatements statements) : IWarehouseConnector
{
    private const string InsufficientPrivileges = "003001";

    public static (IWarehouseConnector Connector, IDisposable Http) Create(string name, string connectionString, TimeProvider clock)
    {
        var (statements, http) = SnowflakeStatements.Create(name, connectionString, clock);
        return (new SnowflakeWarehouse(statements), http);
    }

    public async IAsyncEnumerable<CohortRow> ReadCohortAsync(PushDefinition push, TimeSpan timeout, [EnumeratorCancellation] CancellationToken ct)
    {
        var result = await StartAsync(push, timeout, ct);
        var columns = TextCohortColumns.Locate(push, result.Columns, SnowflakeResult.IsNumeric, ignoreCase: true);
        using (result.FirstPartition)
        {
            foreach (var row in result.FirstPartition.RootElement.GetProperty("data").EnumerateArray())
            {
                yield return columns.Read(push, i => Cell(row, i));
            }
        }

        for (var partition = 1; partition < result.Partitions; partition++)
        {
            using var rows = await PartitionAsync(push, timeout, result.Handle, partition, ct);
            foreach (var row in rows.RootElement.GetProperty("data").EnumerateArray())
            {
                yield return columns.Read(push, i => Cell(row, i));
            }
        }
    }

    public async Task<IReadOnlyList<CohortColumn>> DescribeCohortAsync(string cohortSql, CancellationToken ct)
    {
        try
        {
            var result = await statements.ExecuteAsync($"SELECT * FROM (\n{cohortSql}\n) AS cohort LIMIT 0", TimeSpan.FromSeconds(30), ct);
            result.FirstPartition.Dispose();
            return [.. result.Columns.Select(c => new CohortColumn(c.Name, c.Type.ToUpperInvariant(), SnowflakeResult.IsNumeric(c.Type)))];
        }
        catch (WarehouseRefusal e)
        {
            throw new CohortQueryException(e.Message, e);
        }
    }

    private async Task<SnowflakeResult> StartAsync(PushDefinition push, TimeSpan timeout, CancellationToken ct)
    {
        try
        {
            return await statements.ExecuteAsync($"SELECT * FROM (\n{push.CohortSql}\n) AS cohort", timeout, ct);
        }
        catch (WarehouseRefusal e)
        {
            throw Worded(push, timeout, e);
        }
        catch (WarehouseUnavailableException e)
        {
            throw new WarehouseUnavailableException($"push {push.Id}: the warehouse is unavailable: {e.Message}", e);
        }
    }

    private async Task<JsonDocument> PartitionAsync(PushDefinition push, TimeSpan timeout, string handle, int partition, CancellationToken ct)
    {
        try
        {
            return await statements.PartitionAsync(handle, partition, ct);
        }
        catch (WarehouseRefusal e)
        {
            throw Worded(push, timeout, e);
        }
        catch (WarehouseUnavailableException e)
        {
            throw new WarehouseUnavailableException($"push {push.Id}: the warehouse is unavailable while reading partition {partition}: {e.Message}", e);
        }
    }

    private static string? Cell(JsonElement row, int i) => row[i].ValueKind == JsonValueKind.Null ? null : row[i].GetString();

    private static PushRunFailedException Worded(PushDefinition push, TimeSpan timeout, WarehouseRefusal e) => e switch
    {
        { Status: HttpStatusCode.RequestTimeout } => new PushRunFailedException(
            $"push {push.Id}: the cohort query ran longer than its timeout of {timeout.TotalSeconds:0.#}s and was cancelled; make it faster or raise 'timeout' in the push file ({e.Message})", e),
        { Code: InsufficientPrivileges } => new PushRunFailedException(
            $"push {push.Id}: the cohort query needs more than the Detector's role may do, and a cohort may only read: {e.Message}", e),
        { Status: HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden } => new PushRunFailedException(
            $"push {push.Id}: Snowflake refused the Detector's key pair: {e.Message}; check Account and User, and that the user's RSA_PUBLIC_KEY is this key's", e),
        _ => new PushRunFailedException($"push {push.Id}: the cohort query failed in Snowflake: {e.Message}", e),
    };
}
