using System.Text.Json;

namespace ContextPush.Warehouses.Snowflake;

/// <summary>A finished statement: its columns (name, Snowflake type), its handle and how many partitions its rows come in; the first is inline.</summary>
public sealed record SnowflakeResult(string Handle, IReadOnlyList<(string Name, string Type)> Columns, int Partitions, JsonDocument FirstPartition)
{
    /// <summary>The number types of the SQL API's rowType; every value arrives as text (jsonv2).</summary>
    public static bool IsNumeric(string type) =>
        type.Equals("fixed", StringComparison.OrdinalIgnoreCase) || type.Equals("real", StringComparison.OrdinalIgnoreCase)
        || type.Equals("decfloat", StringComparison.OrdinalIgnoreCase);

    public static SnowflakeResult Read(JsonDocument body)
    {
        var root = body.RootElement;
        var meta = root.GetProperty("resultSetMetaData");
        var columns = meta.GetProperty("rowType").EnumerateArray()
            .Select(c => (c.GetProperty("name").GetString() ?? "", c.GetProperty("type").GetString() ?? "unknown")).ToList();
        var partitions = meta.TryGetProperty("partitionInfo", out var info) && info.ValueKind == JsonValueKind.Array ? Math.Max(1, info.GetArrayLength()) : 1;
        return new SnowflakeResult(root.GetProperty("statementHandle").GetString() ?? "", columns, partitions, body);
    }
}
