using ContextPush.Contracts;
using ContextPush.CardActions;
using Microsoft.Extensions.Options;

namespace ContextPush.Dispatcher.Delivery;

/// <summary>Signed "Mark as reviewed" and "Snooze 7 days" links for channels that cannot call back (Teams webhooks, email).</summary>
public sealed class ActionLinks(ActionLinkSigner signer, IOptions<ActionLinkOptions> linkOptions, IOptions<DispatcherOptions> options,
    IConfiguration configuration, TimeProvider clock)
{
    public sealed record Links(Uri Review, Uri Snooze);

    public Links For(DeliveryApproved approved, string actor, string channel)
    {
        var now = clock.GetUtcNow();
        var card = new CardButtonValue(approved.DeltaId, approved.CorrelationId, approved.Delta.PushId, approved.Delta.AccountKey, now.ToUnixTimeSeconds(),
            System.Diagnostics.Activity.Current?.Id);
        var expires = now + linkOptions.Value.Lifetime;
        Uri Url(CardAction action, int? days) =>
            new(BaseUrl, "a/" + signer.Sign(new ActionLink(card, action, days, actor, channel, expires)));
        return new Links(Url(CardAction.Reviewed, null), Url(CardAction.Snoozed, 7));
    }

    private Uri BaseUrl => options.Value.LinksBaseUrl
        ?? (configuration["services:callbacks:http:0"] is { } discovered ? new Uri(discovered) : null)
        ?? throw new InvalidOperationException("Dispatcher:LinksBaseUrl is not set and no callbacks service is known: signed links need Callbacks' public address");
}
