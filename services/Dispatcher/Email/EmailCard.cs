using System.Globalization;
using System.Net;
using System.Text;
using ContextPush.Contracts;
using ContextPush.Wording;
using MimeKit;

namespace ContextPush.Dispatcher.Email;

/// <summary>The card as an email: HTML for mail clients, plain text for the rest, and the same signed action links.</summary>
public static class EmailCard
{
    // opens: the card's links as sent (through Callbacks, which counts the opens); without them, the context's own.
    public static MimeMessage Build(DeliveryApproved approved, MailboxAddress from, MailboxAddress to, Uri review, Uri snooze,
        IReadOnlyList<CardLink>? opens = null)
    {
        var context = approved.Context;
        var links = opens ?? context.Links;
        var message = new MimeMessage { Subject = context.Headline };
        message.From.Add(from);
        message.To.Add(to);
        message.Headers.Add("X-ContextPush-Delta", approved.DeltaId.ToString());

        var metrics = approved.Delta.Metrics.Select(m => (Name: Humanize(m.Key), Value: MetricText.Describe(m.Value, approved.Delta.PreviousMetrics.GetValueOrDefault(m.Key), MetricText.Of(approved.Delta, m.Key)))).ToList();
        var text = new StringBuilder()
            .AppendLine(context.Headline).AppendLine()
            .AppendJoin("", metrics.Select(m => $"{m.Name}: {m.Value}\n")).AppendLine()
            .AppendJoin("", context.Lines.Select(l => l + "\n")).AppendLine()
            .AppendJoin("", links.Select(l => $"{l.Label}: {l.Url}\n"))
            .AppendLine(CultureInfo.InvariantCulture, $"Mark as reviewed: {review}")
            .AppendLine(CultureInfo.InvariantCulture, $"Snooze 7 days: {snooze}");

        var html = new StringBuilder()
            .Append("<!doctype html><html><body style=\"font-family:system-ui,sans-serif\">")
            .Append(CultureInfo.InvariantCulture, $"<h2>{E(context.Headline)}</h2><table>")
            .AppendJoin("", metrics.Select(m => $"<tr><th align=\"left\">{E(m.Name)}</th><td>{E(m.Value)}</td></tr>"))
            .Append("</table>")
            .AppendJoin("", FormattedContext.LinesFor(context, TextFormat.Html).Select(l => $"<p style=\"color:#555\">{l}</p>"))
            .Append("<p>")
            .AppendJoin(" ", links.Select(l => Button(l.Label, l.Url)))
            .Append(' ').Append(Button("Mark as reviewed", review.ToString()))
            .Append(' ').Append(Button("Snooze 7 days", snooze.ToString()))
            .Append("</p></body></html>");

        message.Body = new BodyBuilder { TextBody = text.ToString(), HtmlBody = html.ToString() }.ToMessageBody();
        return message;
    }

    private static string Button(string label, string url) =>
        $"<a href=\"{E(url)}\" style=\"display:inline-block;padding:6px 12px;border:1px solid #888;border-radius:4px;text-decoration:none\">{E(label)}</a>";

    private static string Humanize(string name) => CultureInfo.InvariantCulture.TextInfo.ToTitleCase(name.Replace('_', ' '));


    private static string E(string text) => WebUtility.HtmlEncode(text);
}
