using System.Net;
using System.Runtime.CompilerServices;
using ContextPush.Detector.Detection;
using ContextPush.Detector.Warehouses.Rest;
using ContextPush.PushFiles;
using ContextPush.Warehouses;
using ContextPush.Warehouses.BigQuery;

namespace ContextPush.Detector.Warehouses.BigQuery;

/// <summary>
/// A BigQuery warehouse through its REST API, signed in as a service account with the read-only
/// BigQuery scope (with which BigQuery refuses any change), given roles that read: BigQuery Data
/// Viewer on the cohort's datasets and Job User on the project. The cohort runs as a subquery of a
/// SELECT, with BigQuery's job timeout set from the push's.
/// </summary>
public sealed class BigQueryWarehouse(BigQueryJobs jobs) : IWarehouseConnector
{
    public static (IWarehouseConnector Connector, IDisposable Http) Create(string name, string connectionString, TimeProvider clock)
    {
        var (jobs, http) = BigQueryJobs.Create(name, connectionString, clock);
        return (new BigQueryWarehouse(jobs), http);
    }

    public async IAsyncEnumerable<CohortRow> ReadCohortAsync(PushDefinition push, TimeSpan timeout, [EnumeratorCancellation] CancellationToken ct)
    {
        var page = await Guarded(push, timeout, 1, () => jobs.ExecuteAsync($"SELECT * FROM (\n{push.CohortSql}\n) AS cohort", timeout, ct));
        var columns = TextCohortColumns.Locate(push, page.Columns, BigQueryPage.IsNumeric, ignoreCase: false);
        for (var number = 2; page is not null; number++)
        {
            using (page.Body)
            {
                foreach (var row in page.Rows)
                {
                    yield return columns.Read(push, i => BigQueryPage.Cell(row, i));
                }
            }

            var previous = page;
            page = await Guarded(push, timeout, number, () => jobs.NextAsync(previous, ct));
        }
    }

    public async Task<IReadOnlyList<CohortColumn>> DescribeCohortAsync(string cohortSql, CancellationToken ct)
    {
        try
        {
            var page = await jobs.ExecuteAsync($"SELECT * FROM (\n{cohortSql}\n) AS cohort LIMIT 0", TimeSpan.FromSeconds(30), ct);
            page.Body.Dispose();
            return [.. page.Columns.Select(c => new CohortColumn(c.Name, c.Type, BigQueryPage.IsNumeric(c.Type)))];
        }
        catch (WarehouseRefusal e)
        {
            throw new CohortQueryException(e.Message, e);
        }
    }

    private static async Task<T> Guarded<T>(PushDefinition push, TimeSpan timeout, int page, Func<Task<T>> step)
    {
        try
        {
            return await step();
        }
        catch (WarehouseRefusal e)
        {
            throw e switch
            {
                { Code: "timeout" } => new PushRunFailedException(
                    $"push {push.Id}: the cohort query ran longer than its timeout of {timeout.TotalSeconds:0.#}s and was cancelled; make it faster or raise 'timeout' in the push file ({e.Message})", e),
                { Code: "accessDenied" or "insufficientPermissions" } => new PushRunFailedException(
                    $"push {push.Id}: the cohort query needs more than the Detector's service account may do, and a cohort may only read: {e.Message}", e),
                { Status: HttpStatusCode.Unauthorized } => new PushRunFailedException(
                    $"push {push.Id}: BigQuery refused the Detector's service account: {e.Message}; check the key in Credentials and that the account is enabled", e),
                _ => new PushRunFailedException($"push {push.Id}: the cohort query failed in BigQuery: {e.Message}", e),
            };
        }
        catch (WarehouseUnavailableException e)
        {
            throw new WarehouseUnavailableException($"push {push.Id}: the warehouse is unavailable while reading page {page}: {e.Message}", e);
        }
    }
}
