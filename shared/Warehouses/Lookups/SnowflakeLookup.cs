using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using ContextPush.Warehouses.Snowflake;

namespace ContextPush.Warehouses.Lookups;

/// <summary>
/// A lookup through Snowflake's SQL API. The SQL API binds <c>?</c> placeholders by position, so each
/// <c>@name</c> of a known parameter becomes one, bound as TEXT or FIXED; values arrive as text and are
/// read by the column's type (timestamps as seconds since the epoch, TIMESTAMP_TZ with its offset).
/// </summary>
public sealed partial class SnowflakeLookup(SnowflakeStatements statements) : IWarehouseLookup
{
    public async Task<IReadOnlyList<LookupRow>> QueryAsync(string sql, IReadOnlyList<LookupParameter> parameters, TimeSpan timeout, CancellationToken ct)
    {
        var (positional, bindings) = Positional(sql, parameters);
        var result = await statements.ExecuteAsync(positional, timeout, ct, bindings);
        var rows = new List<LookupRow>();
        Read(result.FirstPartition, result.Columns, rows);
        for (var partition = 1; partition < result.Partitions; partition++)
        {
            Read(await statements.PartitionAsync(result.Handle, partition, ct), result.Columns, rows);
        }

        return rows;
    }

    /// <summary>The SQL with <c>?</c> for each <c>@name</c> of a parameter, and the bindings in that order.</summary>
    public static (string Sql, IReadOnlyDictionary<string, SnowflakeBinding>? Bindings) Positional(string sql, IReadOnlyList<LookupParameter> parameters)
    {
        var byName = parameters.ToDictionary(p => p.Name, StringComparer.OrdinalIgnoreCase);
        var bindings = new Dictionary<string, SnowflakeBinding>();
        var positional = Placeholder().Replace(sql, match =>
        {
            if (!byName.TryGetValue(match.Groups["name"].Value, out var parameter))
            {
                return match.Value; // not ours, such as a stage (@my_stage)
            }

            bindings[(bindings.Count + 1).ToString(CultureInfo.InvariantCulture)] = parameter.Value switch
            {
                int or long or short => new SnowflakeBinding("FIXED", Convert.ToString(parameter.Value, CultureInfo.InvariantCulture)),
                // As text the SQL casts (CAST(@from AS TIMESTAMP)): Snowflake's own timestamp bindings are epoch-based.
                DateTimeOffset at => new SnowflakeBinding("TEXT", at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.ffffff", CultureInfo.InvariantCulture)),
                var text => new SnowflakeBinding("TEXT", Convert.ToString(text, CultureInfo.InvariantCulture)),
            };
            return "?";
        });
        return (positional, bindings.Count > 0 ? bindings : null);
    }

    private static void Read(JsonDocument partition, IReadOnlyList<(string Name, string Type)> columns, List<LookupRow> rows)
    {
        using (partition)
        {
            foreach (var row in partition.RootElement.GetProperty("data").EnumerateArray())
            {
                rows.Add(new LookupRow(columns.Select((c, i) => (c.Name, Value: Value(row[i], c.Type))).ToDictionary(c => c.Name, c => c.Value)));
            }
        }
    }

    private static object? Value(JsonElement cell, string type)
    {
        if (cell.ValueKind == JsonValueKind.Null || cell.GetString() is not { } text)
        {
            return null;
        }

        switch (type.ToLowerInvariant())
        {
            case "timestamp_ntz" or "timestamp_ltz":
                return FromEpoch(text, TimeSpan.Zero);
            case "timestamp_tz":
                // "seconds.fraction offset", the offset in minutes plus 1440, so UTC is 1440.
                var parts = text.Split(' ');
                return FromEpoch(parts[0], parts.Length > 1 ? TimeSpan.FromMinutes(int.Parse(parts[1], CultureInfo.InvariantCulture) - 1440) : TimeSpan.Zero);
            case "date":
                return DateOnly.FromDateTime(DateTime.UnixEpoch).AddDays(int.Parse(text, CultureInfo.InvariantCulture));
            default:
                return text;
        }
    }

    private static DateTimeOffset FromEpoch(string seconds, TimeSpan offset)
    {
        var ticks = decimal.Parse(seconds, NumberStyles.Float, CultureInfo.InvariantCulture) * TimeSpan.TicksPerSecond;
        return new DateTimeOffset(DateTime.UnixEpoch.AddTicks((long)ticks)).ToOffset(offset);
    }

    [GeneratedRegex(@"(?<![\w@])@(?<name>[A-Za-z_]\w*)")]
    private static partial Regex Placeholder();
}
