using ContextPush.Contracts;
using ContextPush.CardActions;
using Microsoft.Extensions.Options;

namespace ContextPush.Dispatcher.Delivery;

/// <summary>
/// Signed "Mark as reviewed" and "Snooze 7 days" links for channels that cannot call back (Teams webhooks,
/// email), and the card's own links ("Open in Salesforce") through Callbacks, which records the open and
/// sends the person on.
/// </summary>
public sealed class ActionLinks(ActionLinkSigner signer, IOptions<ActionLinkOptions> linkOptions, IOptions<DispatcherOptions> options,
    IConfiguration configuration, TimeProvider clock)
{
    public sealed record Links(Uri Review, Uri Snooze, IReadOnlyList<CardLink> Opens);

    public Links For(DeliveryApproved approved, string actor, string channel)
    {
        var now = clock.GetUtcNow();
        var card = new CardButtonValue(approved.DeltaId, approved.CorrelationId, approved.Delta.PushId, approved.Delta.AccountKey, now.ToUnixTimeSeconds(),
            System.Diagnostics.Activity.Current?.Id);
        var expires = now + linkOptions.Value.Lifetime;
        Uri Url(CardAction action, int? days, string? target = null) =>
            new(BaseUrl, "a/" + signer.Sign(new ActionLink(card, action, days, actor, channel, expires, target)));
        // Only web pages go through the redirect; anything else (mailto:, a CRM's app scheme) is left as it is.
        var opens = approved.Context.Links
            .Select(l => ActionLink.IsWebPage(l.Url) ? l with { Url = Url(CardAction.Opened, null, l.Url).ToString() } : l)
            .ToList();
        return new Links(Url(CardAction.Reviewed, null), Url(CardAction.Snoozed, 7), opens);
    }

    private Uri BaseUrl => options.Value.LinksBaseUrl
        ?? (configuration["services:callbacks:http:0"] is { } discovered ? new Uri(discovered) : null)
        ?? throw new InvalidOperationException("Dispatcher:LinksBaseUrl is not set and no callbacks service is known: signed links need Callbacks' public address");
}
