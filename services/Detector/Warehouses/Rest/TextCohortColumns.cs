using System.Globalization;
using ContextPush.Detector.Detection;
using ContextPush.PushFiles;

namespace ContextPush.Detector.Warehouses.Rest;

/// <summary>
/// Where a push's key and metric columns are in a result whose cells arrive as text (the REST APIs of
/// Snowflake and BigQuery), and how one of its rows reads: the key joined with '|' as the other engines
/// join it, each metric parsed as an invariant number, or an error naming the metric and the row.
/// </summary>
public sealed record TextCohortColumns(int[] Key, int[] Metrics, string[] MetricTypes, Func<string, bool> IsNumeric)
{
    /// <summary>The columns by name, exactly or else (for an engine that folds names) regardless of case.</summary>
    public static TextCohortColumns Locate(PushDefinition push, IReadOnlyList<(string Name, string Type)> columns, Func<string, bool> isNumeric, bool ignoreCase)
    {
        int Find(string name)
        {
            for (var i = 0; i < columns.Count; i++)
            {
                if (columns[i].Name == name)
                {
                    return i;
                }
            }

            for (var i = 0; ignoreCase && i < columns.Count; i++)
            {
                if (string.Equals(columns[i].Name, name, StringComparison.OrdinalIgnoreCase))
                {
                    return i;
                }
            }

            throw new PushRunFailedException(
                $"push {push.Id}: the cohort returns no column '{name}' (it returns {string.Join(", ", columns.Select(c => c.Name))})", null);
        }

        var metrics = push.Metrics.Select(m => Find(m.Name)).ToArray();
        return new TextCohortColumns([.. push.Key.Select(Find)], metrics, [.. metrics.Select(i => columns[i].Type)], isNumeric);
    }

    /// <summary>One row, given the text of its cell at an index (null for SQL NULL).</summary>
    public CohortRow Read(PushDefinition push, Func<int, string?> cell)
    {
        var key = string.Join('|', Key.Select(i => cell(i) ?? ""));
        var values = new decimal?[Metrics.Length];
        for (var m = 0; m < Metrics.Length; m++)
        {
            if (cell(Metrics[m]) is not { } text)
            {
                continue;
            }

            if (!IsNumeric(MetricTypes[m]))
            {
                throw new PushRunFailedException(
                    $"push {push.Id}: metric '{push.Metrics[m].Name}' of row '{key}' is {MetricTypes[m].ToUpperInvariant()} ({text}), not a number; cast it in the SELECT", null);
            }

            values[m] = decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
                ? value
                : throw new PushRunFailedException($"push {push.Id}: a metric of row '{key}' cannot be read as a number ({push.Metrics[m].Name} = {text})", null);
        }

        return new CohortRow(key, values);
    }
}
