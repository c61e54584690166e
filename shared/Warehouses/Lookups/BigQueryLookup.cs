using System.Globalization;
using ContextPush.Warehouses.BigQuery;

namespace ContextPush.Warehouses.Lookups;

/// <summary>
/// A lookup through BigQuery's REST API, with its <c>@name</c> parameters as BigQuery's named query
/// parameters (STRING or INT64); values arrive as text and are read by the field's type (TIMESTAMP as
/// seconds since the epoch, DATETIME as UTC).
/// </summary>
public sealed class BigQueryLookup(BigQueryJobs jobs) : IWarehouseLookup
{
    public async Task<IReadOnlyList<LookupRow>> QueryAsync(string sql, IReadOnlyList<LookupParameter> parameters, TimeSpan timeout, CancellationToken ct)
    {
        var named = parameters.Select(p => p.Value switch
        {
            int or long or short => BigQueryParameter.Of(p.Name, "INT64", Convert.ToString(p.Value, CultureInfo.InvariantCulture)),
            DateTimeOffset at => BigQueryParameter.Of(p.Name, "TIMESTAMP", at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.ffffff+00:00", CultureInfo.InvariantCulture)),
            var text => BigQueryParameter.Of(p.Name, "STRING", Convert.ToString(text, CultureInfo.InvariantCulture)),
        }).ToList();
        var rows = new List<LookupRow>();
        for (BigQueryPage? page = await jobs.ExecuteAsync(sql, timeout, ct, named); page is not null;)
        {
            using (page.Body)
            {
                rows.AddRange(page.Rows.Select(row => new LookupRow(page.Columns.Select((c, i) => (c.Name, Value: Value(BigQueryPage.Cell(row, i), c.Type)))
                    .ToDictionary(c => c.Name, c => c.Value))));
            }

            page = await jobs.NextAsync(page, ct);
        }

        return rows;
    }

    private static object? Value(string? text, string type) => text is null ? null : type.ToUpperInvariant() switch
    {
        "TIMESTAMP" => new DateTimeOffset(DateTime.UnixEpoch.AddTicks((long)(decimal.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture) * TimeSpan.TicksPerSecond))),
        "DATETIME" => new DateTimeOffset(DateTime.SpecifyKind(DateTime.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind), DateTimeKind.Utc)),
        "DATE" => DateOnly.Parse(text, CultureInfo.InvariantCulture),
        _ => text,
    };
}
