using System.Globalization;
using ContextPush.Callbacks.Actions;

namespace ContextPush.Callbacks.Explain;

/// <summary>The explanation in sentences an analyst reads top to bottom: now, the days observed, then each delta newest first.</summary>
public static class StoryTeller
{
    public static IReadOnlyList<string> Tell(DetectorStory? story, IReadOnlyList<ExplainedDelta> deltas, IReadOnlyDictionary<string, string> unavailable)
    {
        var lines = new List<string>();
        if (story is not null)
        {
            lines.Add($"Now: {story.Verdict}.");
            lines.AddRange(story.Metrics.Where(m => m.Moved is not null).Select(m => $"{m.Metric}: {m.Verdict}."));
            if (story.NotifiedAt is { } notified && story.Runs.Count(r => r.InCohort == true) is var since and > 0)
            {
                // A change beyond tolerance, or leaving, would have notified it again or untracked it.
                lines.Add(since == 1
                    ? I($"Last notified at {notified:yyyy-MM-dd HH:mm} UTC, by the latest run.")
                    : I($"Last notified at {notified:yyyy-MM-dd HH:mm} UTC; in the cohort and within tolerance of those values in each of the {since - 1} runs since."));
            }
            if (story.Days.Count > 0)
            {
                var inCohort = story.Days.Where(d => d.InCohort).ToList();
                lines.Add(inCohort.Count == 0
                    ? I($"Not in the cohort on any of the {story.Days.Count} days observed since {story.Days[^1].Day:yyyy-MM-dd}.")
                    : I($"In the cohort on {inCohort.Count} of the {story.Days.Count} days observed since {story.Days[^1].Day:yyyy-MM-dd} (last on {inCohort[0].Day:yyyy-MM-dd})."));
            }
        }

        if (deltas.Count == 0 && !unavailable.ContainsKey("throttler"))
        {
            lines.Add("No delta of this account reached the Throttler: nothing was detected for it, or not yet.");
        }

        foreach (var delta in deltas)
        {
            lines.Add(Tell(delta));
        }

        lines.AddRange(unavailable.OrderBy(u => u.Key, StringComparer.Ordinal).Select(u => $"The {u.Key} could not be asked ({u.Value}); its part is missing."));
        return lines;
    }

    private static string Tell(ExplainedDelta delta)
    {
        var decision = delta.Decision;
        var numbers = decision.Numbers is { Count: > 0 } n ? " [" + string.Join(", ", n.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key} {p.Value}")) + "]" : "";
        var head = I($"{decision.DecidedAt:yyyy-MM-dd HH:mm} UTC, delta {delta.DeltaId.ToString("N")[..8]}: ");
        if (!decision.Approved)
        {
            return head + $"suppressed ({decision.Reason}): {decision.Detail}{numbers}.";
        }

        var delivery = delta.Delivery switch
        {
            null => "not (yet) known to the Dispatcher",
            { Status: "delivered" } d => I($"delivered by {d.Channel} to {d.Destination} at {d.DeliveredAt:yyyy-MM-dd HH:mm}"),
            { Status: "failed" } d => $"failed in {d.Channel}: {d.Error}",
            { Status: "retrying" } d => I($"not delivered yet, {d.Channel} said {d.Error}; next attempt at {d.NextAttemptAt:yyyy-MM-dd HH:mm}"),
            var d => $"{d.Status} in {d.Channel}",
        };
        var acted = delta.Actions.Count == 0
            ? delta.Delivery is { Status: "delivered" } ? "; no action taken" : ""
            : "; " + string.Join(", ", delta.Actions.Select(Describe));
        return head + $"approved{numbers}, {delivery}{acted}.";
    }

    private static string Describe(ActionListing action) =>
        action.Action.ToLowerInvariant() + (action.Action == "Snoozed" && action.SnoozeDays is { } days ? I($" {days} days") : "")
        + (action.ActorName is { } name && name != action.ActorId ? $" by {name} ({action.ActorId})" : $" by {action.ActorId}")
        + (action.TimeToAction is { } t ? " after " + Duration(t) : "");

    private static string Duration(TimeSpan t) => t.TotalMinutes < 1 ? I($"{t.TotalSeconds:0} s")
        : t.TotalHours < 1 ? I($"{t.TotalMinutes:0} min")
        : t.TotalDays < 1 ? I($"{t.TotalHours:0.#} h")
        : I($"{t.TotalDays:0.#} days");

    private static string I(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
