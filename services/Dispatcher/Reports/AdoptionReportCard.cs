using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using ContextPush.Contracts;
using ContextPush.Dispatcher.Slack;
using ContextPush.Dispatcher.Teams;
using ContextPush.Wording;

namespace ContextPush.Dispatcher.Reports;

/// <summary>The weekly adoption card: a title and a few lines, drawn for each channel.</summary>
public static class AdoptionReportCard
{
    public static string Title(AdoptionReportDue report) => $"Weekly adoption of {report.PushId}";

    public static IReadOnlyList<string> Lines(AdoptionReportDue report)
    {
        var lines = new List<string>
        {
            I($"{report.Delivered} cards since {report.Since:yyyy-MM-dd}: {report.Opened} opened, {report.Reviewed} reviewed, {report.Snoozed} snoozed."),
            report.ActedOnRate is { } rate
                ? I($"Acted on within a week: {rate * 100:0}% ({report.ActedOn} of {report.ActedOn + report.Ignored}); {report.Pending} still within their week.")
                : I($"Acted on within a week: not known yet; {report.Pending} cards are still within their week."),
        };
        if (report.MedianSecondsToFirstAction is { } median)
        {
            lines.Add($"Time to first action: median {Duration(median)}, p90 {Duration(report.P90SecondsToFirstAction ?? median)}.");
        }

        if (report.SuppressedBy.Count > 0)
        {
            lines.Add("Held back: " + string.Join(", ", report.SuppressedBy.OrderByDescending(s => s.Value).Select(s => I($"{s.Value} {s.Key}"))) + ".");
        }

        if (report.Failed > 0)
        {
            lines.Add(I($"Not delivered: {report.Failed}."));
        }

        if (report.NoisyFlag is { } flag)
        {
            lines.Add($"Noisy: {flag}.");
        }

        return lines;
    }

    public static JsonObject Slack(AdoptionReportDue report) => new()
    {
        ["text"] = Title(report),
        ["blocks"] = new JsonArray
        {
            new JsonObject { ["type"] = "header", ["text"] = new JsonObject { ["type"] = "plain_text", ["text"] = Title(report) } },
            new JsonObject
            {
                ["type"] = "section",
                ["text"] = new JsonObject { ["type"] = "mrkdwn", ["text"] = SlackText.Truncate(string.Join("\n", Lines(report).Select(TextEscaping.Slack)), 3000) },
            },
        },
    };

    public static JsonObject Teams(AdoptionReportDue report)
    {
        var body = new JsonArray
        {
            new JsonObject { ["type"] = "TextBlock", ["text"] = TextEscaping.Teams(Title(report)), ["weight"] = "Bolder", ["size"] = "Medium", ["wrap"] = true },
        };
        foreach (var line in Lines(report))
        {
            body.Add(new JsonObject { ["type"] = "TextBlock", ["text"] = TextEscaping.Teams(line), ["wrap"] = true });
        }

        return TeamsLimits.Enforce(TeamsCard.Message(body, []));
    }

    public static string Text(AdoptionReportDue report) => Title(report) + "\n\n" + string.Join("\n", Lines(report)) + "\n";

    public static string Html(AdoptionReportDue report) =>
        $"<!doctype html><html><body style=\"font-family:system-ui,sans-serif\"><h2>{WebUtility.HtmlEncode(Title(report))}</h2>"
        + string.Concat(Lines(report).Select(l => $"<p>{WebUtility.HtmlEncode(l)}</p>")) + "</body></html>";

    private static string Duration(double seconds) => seconds switch
    {
        < 60 => I($"{seconds:0} s"),
        < 3_600 => I($"{seconds / 60:0} min"),
        < 86_400 => I($"{seconds / 3_600:0.#} h"),
        _ => I($"{seconds / 86_400:0.#} days"),
    };

    private static string I(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
