using ContextPush.Contracts;

namespace ContextPush.CardActions;

/// <summary>
/// What a signed action link (Teams, email) carries: the card's delta, the action, who it was sent
/// to, and until when it is valid. Issued by Dispatcher, honoured by Callbacks. An
/// <see cref="CardAction.Opened"/> link carries the page it leads to: signed with the rest, so a link
/// can never be made to send people elsewhere.
/// </summary>
public sealed record ActionLink(
    CardButtonValue Card,
    CardAction Action,
    int? SnoozeDays,
    string Actor,
    string Channel,
    DateTimeOffset ExpiresAt,
    string? Url = null)
{
    /// <summary>Only web pages are led to through Callbacks: the Dispatcher signs no other link, and Callbacks follows no other.</summary>
    public static bool IsWebPage(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp);
}
