using System.Globalization;

namespace ContextPush.Warehouses.Lookups;

/// <summary>
/// One row of a lookup by column name, whatever case the engine gives names in (Snowflake upper-cases
/// unquoted ones). Values are what the engine's client reads (text, numbers, timestamps).
/// </summary>
public sealed class LookupRow(IReadOnlyDictionary<string, object?> values)
{
    private readonly Dictionary<string, object?> _values = new(values, StringComparer.OrdinalIgnoreCase);

    public bool Has(string column) => _values.ContainsKey(column);

    /// <summary>The column's value as text, null when it is NULL or empty.</summary>
    public string? Text(string column) => Value(column) switch
    {
        null => null,
        string s => s.Length > 0 ? s : null,
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        var other => other.ToString(),
    };

    /// <summary>The column's value as a number, null when it is NULL; text is read in invariant notation, as the REST engines send numbers.</summary>
    public decimal? Number(string column) => Value(column) switch
    {
        null => null,
        decimal d => d,
        double d => (decimal)d,
        float f => (decimal)f,
        string text => decimal.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture),
        IConvertible number => number.ToDecimal(CultureInfo.InvariantCulture),
        var other => throw new InvalidCastException($"column {column} holds '{other}', which is not a number"),
    };

    /// <summary>The column's value as a point in time; a timestamp without a zone is taken as UTC.</summary>
    public DateTimeOffset? Timestamp(string column) => Value(column) switch
    {
        null => null,
        DateTimeOffset at => at,
        DateTime at => new DateTimeOffset(DateTime.SpecifyKind(at, DateTimeKind.Utc)),
        string text when DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) => at,
        var other => throw new InvalidCastException($"column {column} holds '{other}', which is not a point in time"),
    };

    private object? Value(string column) => _values.TryGetValue(column, out var value)
        ? value is DBNull ? null : value
        : throw new KeyNotFoundException($"the query returned no column named {column}");
}
