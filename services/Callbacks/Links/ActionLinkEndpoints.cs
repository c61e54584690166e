using ContextPush.Callbacks.Actions;
using ContextPush.Callbacks.Telemetry;
using ContextPush.CardActions;
using ContextPush.Contracts;

namespace ContextPush.Callbacks.Links;

/// <summary>
/// GET /a/{token}: the signed links in Teams cards and emails. GET only shows what the link will do,
/// with a button; the POST of that button acts. Mail security scanners open every link in a message,
/// so a GET that acted would mark cards reviewed that nobody read.
/// </summary>
public static class ActionLinkEndpoints
{
    public static IEndpointRouteBuilder MapActionLinks(this IEndpointRouteBuilder app)
    {
        app.MapGet("/a/{token}", (string token, ActionLinkSigner signer, TimeProvider clock, CallbacksMetrics metrics) =>
        {
            if (signer.Verify(token, clock.GetUtcNow(), out var reason) is { } link)
            {
                return link.Action == CardAction.Opened ? ActionPage.Continue(link, token) : ActionPage.Confirm(link, token);
            }

            // An expired "Open in Salesforce" still leads where it said (the target is signed), but counts nothing.
            return signer.VerifySignature(token, out _) is { Action: CardAction.Opened, Url: { } url } && ActionLink.IsWebPage(url)
                ? Results.Redirect(url)
                : Refuse(reason, metrics);
        });

        app.MapPost("/a/{token}", async (string token, ActionLinkSigner signer, ActionRecorder recorder, TimeProvider clock, CallbacksMetrics metrics,
            CancellationToken ct) =>
        {
            var now = clock.GetUtcNow();
            if (signer.Verify(token, now, out var reason) is not { } link)
            {
                return Refuse(reason, metrics);
            }

            if (link.Action == CardAction.Opened && (link.Url is not { } target || !ActionLink.IsWebPage(target)))
            {
                return Refuse("this link leads nowhere", metrics);
            }

            var first = await recorder.RecordAsync(
                new RecordedAction(link.Card, link.Action, link.Actor, null, link.Channel, null, now, link.SnoozeDays), ct);
            // 303: the browser follows with a GET, so a reload of the CRM's page does not post again.
            return link.Action == CardAction.Opened
                ? new SeeOtherResult(link.Url!)
                : ActionPage.Done(link, first);
        }).DisableAntiforgery();

        return app;
    }

    private static IResult Refuse(string reason, CallbacksMetrics metrics)
    {
        metrics.Refused(reason.Contains("expired", StringComparison.Ordinal) ? "expired link" : "invalid link");
        return ActionPage.Error(reason, reason.Contains("expired", StringComparison.Ordinal) ? StatusCodes.Status410Gone : StatusCodes.Status400BadRequest);
    }

    private sealed class SeeOtherResult(string url) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.StatusCode = StatusCodes.Status303SeeOther;
            httpContext.Response.Headers.Location = url;
            return Task.CompletedTask;
        }
    }
}
