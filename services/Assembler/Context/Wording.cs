using System.Globalization;
using ContextPush.Contracts;

namespace ContextPush.Assembler.Context;

/// <summary>Plain-text wording of a delta: the headline and the context lines. Escaping for a channel is the Dispatcher's job.</summary>
public static class Wording
{
    public static string Headline(string accountName, DeltaDetected delta) => delta.Kind switch
    {
        DeltaKind.Left => $"{accountName}: no longer in {Humanize(delta.Topic)}",
        DeltaKind.Entered => $"{accountName}: entered {Humanize(delta.Topic)} ({string.Join(", ", delta.Metrics.Select(m => $"{Humanize(m.Key)} {Format(m.Value)}"))})",
        _ => $"{accountName}: {string.Join(", ", Moves(delta))}",
    };

    public static IReadOnlyList<string> Lines(AccountOwner? owner, IReadOnlyList<SupportTicket> tickets)
    {
        var lines = new List<string>
        {
            owner is null ? "Owner: unknown" : $"Owner: {owner.Name}" + (owner.Email is null ? "" : $" ({owner.Email})"),
        };
        var urgent = tickets.Count(t => t.Priority is "high" or "urgent" && t.Status is not ("solved" or "closed"));
        if (urgent > 0)
        {
            lines.Add($"Open high-priority tickets: {urgent}");
        }

        if (tickets.Count > 0)
        {
            lines.Add("Recent tickets: " + string.Join(" · ", tickets.Select(t => t.Subject)));
        }

        return lines;
    }

    private static IEnumerable<string> Moves(DeltaDetected delta) =>
        delta.Metrics.Where(m => delta.PreviousMetrics.GetValueOrDefault(m.Key) != m.Value)
            .Select(m => $"{Humanize(m.Key)} {Format(m.Value)} (was {Format(delta.PreviousMetrics.GetValueOrDefault(m.Key))})");

    private static string Humanize(string name) => name.Replace('_', ' ').Replace('-', ' ');

    private static string Format(decimal? value) => value is null ? "n/a" : value.Value.ToString("0.##", CultureInfo.InvariantCulture);
}
