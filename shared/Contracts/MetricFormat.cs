namespace ContextPush.Contracts;

/// <summary>
/// How people read a metric, as its push declares it: <c>percent</c> (0.913 reads 91.3%),
/// <c>number</c>, <c>integer</c> or <c>currency</c>, with a number of decimals.
/// </summary>
/// <param name="Style">percent, number, integer or currency.</param>
/// <param name="Decimals">Digits after the point; the style's own default when null.</param>
/// <param name="Currency">The ISO 4217 code of a currency metric, e.g. USD.</param>
public sealed record MetricFormat(string Style, int? Decimals = null, string? Currency = null)
{
    /// <summary>Every style a push may declare.</summary>
    public static readonly string[] Styles = ["percent", "number", "integer", "currency"];
}
