using System.Globalization;
using ContextPush.Contracts;

namespace ContextPush.Wording;

/// <summary>
/// The variables a template sees, as plain dictionaries so Fluid needs no member-access registration.
/// Names are snake_case like the push files analysts already write.
/// </summary>
internal static class TemplateModel
{
    public static Dictionary<string, object?> From(CardFacts facts, TextFormat format)
    {
        var delta = facts.Delta;
        return new Dictionary<string, object?>
        {
            ["format"] = format.ToString().ToLowerInvariant(),
            ["push"] = new Dictionary<string, object?> { ["id"] = delta.PushId, ["topic"] = delta.Topic, ["topic_label"] = Humanize(delta.Topic) },
            ["kind"] = delta.Kind.ToString().ToLowerInvariant(),
            ["account"] = new Dictionary<string, object?> { ["key"] = delta.AccountKey, ["name"] = facts.AccountName, ["crm_url"] = facts.CrmUrl },
            ["summary"] = Summary(delta),
            ["metrics"] = delta.Metrics.Select(m => Metric(m.Key, m.Value, delta.PreviousMetrics.GetValueOrDefault(m.Key), MetricText.Of(delta, m.Key))).ToList(),
            ["owner"] = facts.Owner is { } o
                ? new Dictionary<string, object?> { ["name"] = o.Name, ["email"] = o.Email, ["slack_id"] = o.SlackUserId }
                : null,
            ["tickets"] = facts.Tickets.Select(t => new Dictionary<string, object?>
            {
                ["subject"] = t.Subject, ["priority"] = t.Priority, ["status"] = t.Status, ["created_at"] = t.CreatedAt,
            }).ToList(),
            ["urgent_tickets"] = facts.Tickets.Count(IsUrgent),
            ["missing"] = facts.Missing.ToList(),
        };
    }

    public static bool IsUrgent(SupportTicket t) => t.Priority is "high" or "urgent" && t.Status is not ("solved" or "closed");

    /// <summary>What changed, in words, for templates that do not spell it out themselves.</summary>
    public static string Summary(DeltaDetected delta) => delta.Kind switch
    {
        DeltaKind.Left => $"no longer in {Humanize(delta.Topic)}",
        DeltaKind.Entered => $"entered {Humanize(delta.Topic)} ({string.Join(", ", delta.Metrics.Select(m => $"{Humanize(m.Key)} {MetricText.Format(m.Value, MetricText.Of(delta, m.Key))}"))})",
        _ => string.Join(", ", delta.Metrics
            .Where(m => delta.PreviousMetrics.GetValueOrDefault(m.Key) != m.Value)
            .Select(m => $"{Humanize(m.Key)} {MetricText.Describe(m.Value, delta.PreviousMetrics.GetValueOrDefault(m.Key), MetricText.Of(delta, m.Key))}")),
    };

    private static Dictionary<string, object?> Metric(string name, decimal? value, decimal? previous, MetricFormat? format) => new()
    {
        ["name"] = name,
        ["label"] = Humanize(name),
        ["value"] = value,
        ["previous"] = previous,
        ["change"] = value is { } v && previous is { } p ? v - p : null,
        ["format"] = format?.Style,
        ["decimals"] = format?.Decimals,
        ["text"] = MetricText.Format(value, format),
        ["previous_text"] = previous is null ? null : MetricText.Format(previous, format),
        ["description"] = MetricText.Describe(value, previous, format),
    };

    private static string Humanize(string name) => name.Replace('_', ' ').Replace('-', ' ');

    public static string Format(decimal? value) => value is null ? "n/a" : value.Value.ToString("0.##", CultureInfo.InvariantCulture);
}
