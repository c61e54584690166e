using System.Net;
using ContextPush.Contracts;
using ContextPush.CardActions;

namespace ContextPush.Callbacks.Links;

/// <summary>The small, plain pages a person sees after clicking a signed link.</summary>
public static class ActionPage
{
    public static IResult Confirm(ActionLink link, string token) => Page(200, Describe(link) + "?",
        $"""
        <p>Account <b>{E(link.Card.AccountKey)}</b> in push <b>{E(link.Card.PushId)}</b>.</p>
        <form method="post" action="/a/{E(token)}"><button type="submit">{E(Verb(link))}</button></form>
        """);

    /// <summary>
    /// An open: the page submits itself, so a person lands on the CRM at once and the open is recorded
    /// by the POST; a mail scanner that fetches the link without running scripts records nothing.
    /// </summary>
    public static IResult Continue(ActionLink link, string token) => Page(200, "Opening…",
        $"""
        <p>Account <b>{E(link.Card.AccountKey)}</b> in push <b>{E(link.Card.PushId)}</b>.</p>
        <form id="go" method="post" action="/a/{E(token)}"><button type="submit">Continue to {E(new Uri(link.Url!).Host)}</button></form>
        <script>document.getElementById('go').submit();</script>
        """);

    public static IResult Done(ActionLink link, bool firstTime) => Page(200, firstTime ? "Done" : "Already done",
        $"<p>{E(Describe(link))}: recorded for {E(link.Actor)}.{(firstTime ? "" : " It had already been recorded; nothing changed.")}</p>");

    public static IResult Error(string reason, int status) => Page(status, "This link cannot be used",
        $"<p>{E(char.ToUpperInvariant(reason[0]) + reason[1..])}. Nothing was changed.</p>");

    private static string Verb(ActionLink link) => link.Action switch
    {
        CardAction.Snoozed => $"Snooze for {link.SnoozeDays} days",
        _ => "Mark as reviewed",
    };

    private static string Describe(ActionLink link) => link.Action switch
    {
        CardAction.Snoozed => $"Snooze this alert for {link.SnoozeDays} days",
        _ => "Mark this alert as reviewed",
    };

    private static IResult Page(int status, string title, string body) => Results.Content(
        $$"""
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><meta name="robots" content="noindex">
        <title>ContextPush: {{E(title)}}</title>
        <style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem}button{font-size:1rem;padding:.5rem 1rem}</style>
        </head><body><h1>{{E(title)}}</h1>{{body}}</body></html>
        """, "text/html; charset=utf-8", statusCode: status);

    private static string E(string text) => WebUtility.HtmlEncode(text);
}
