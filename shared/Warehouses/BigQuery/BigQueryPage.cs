using System.Text.Json;

namespace ContextPush.Warehouses.BigQuery;

/// <summary>One answer of jobs.query or getQueryResults: the job, whether it is complete, and if so a page of rows with the schema.</summary>
public sealed record BigQueryPage(string JobId, string? Location, bool Complete, IReadOnlyList<(string Name, string Type)> Columns, string? PageToken, JsonDocument Body)
{
    /// <summary>The number types of a schema's fields; every cell arrives as text.</summary>
    public static bool IsNumeric(string type) => type.ToUpperInvariant() is "INTEGER" or "INT64" or "FLOAT" or "FLOAT64" or "NUMERIC" or "BIGNUMERIC"
        or "DECIMAL" or "BIGDECIMAL";

    public IEnumerable<JsonElement> Rows => Body.RootElement.TryGetProperty("rows", out var rows) ? rows.EnumerateArray() : [];

    public static BigQueryPage Read(JsonDocument body)
    {
        var root = body.RootElement;
        var job = root.GetProperty("jobReference");
        var columns = root.TryGetProperty("schema", out var schema)
            ? schema.GetProperty("fields").EnumerateArray().Select(f => (f.GetProperty("name").GetString() ?? "", f.GetProperty("type").GetString() ?? "")).ToList()
            : [];
        return new BigQueryPage(job.GetProperty("jobId").GetString() ?? "", job.TryGetProperty("location", out var location) ? location.GetString() : null,
            root.TryGetProperty("jobComplete", out var complete) && complete.GetBoolean(), columns,
            root.TryGetProperty("pageToken", out var token) ? token.GetString() : null, body);
    }

    /// <summary>The text of a row's cell (BigQuery's <c>{"f":[{"v":…}]}</c>), null for SQL NULL.</summary>
    public static string? Cell(JsonElement row, int i)
    {
        var value = row.GetProperty("f")[i].GetProperty("v");
        return value.ValueKind == JsonValueKind.Null ? null : value.GetString();
    }
}
