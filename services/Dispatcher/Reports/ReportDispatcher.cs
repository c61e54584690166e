using ContextPush.Contracts;
using ContextPush.Dispatcher.Delivery;
using ContextPush.Dispatcher.Email;
using ContextPush.Dispatcher.Redelivery;
using ContextPush.Dispatcher.Slack;
using ContextPush.Dispatcher.Teams;
using ContextPush.Dispatcher.Telemetry;
using ContextPush.ServiceDefaults.Idempotency;
using Microsoft.Extensions.Options;

namespace ContextPush.Dispatcher.Reports;

/// <summary>
/// Sends the weekly adoption card to the push's channel (its Slack channel or fallback channel, its Teams
/// webhook, its email address, or the log) along the cards' path: claimed once by ReportId, paced, postponed
/// while the platform is away, and recorded as failed only on the platform's refusal.
/// </summary>
public sealed class ReportDispatcher(
    DeliveryStore deliveries,
    PushDestinations destinations,
    CardDispatcher cards,
    IServiceProvider services,
    IOptions<DispatcherOptions> options,
    TimeProvider clock,
    DispatcherMetrics metrics,
    ILogger<ReportDispatcher> logger)
{
    /// <summary>The report's row in the deliveries table lists it under this account key.</summary>
    public const string AccountKey = "adoption-report";

    /// <summary>False when it was sent before, refused, or postponed.</summary>
    public async Task<bool> DispatchAsync(AdoptionReportDue report, CancellationToken ct)
    {
        var claim = await deliveries.TryClaimAsync(report.ReportId, report.CorrelationId, report.PushId, AccountKey, ct);
        var delivery = await destinations.FindAsync(report.PushId, ct);
        var channel = delivery?.Channel ?? (options.Value.Slack.Enabled ? "slack" : "console");
        try
        {
            return await deliveries.RunAsync(claim.Ticket, held => SendAsync(report, delivery, channel, held),
                async card =>
                {
                    await deliveries.CompleteAsync(report.ReportId, card, clock.GetUtcNow(), ct);
                    logger.LogInformation("Weekly adoption card of push {PushId} sent to {Channel} {Destination}", report.PushId, card.Channel, card.Destination);
                }, logger, ct, settledByCaller: e => e is DeliveryRejectedException || TransientDelivery.Is(e, ct));
        }
        catch (DeliveryRejectedException rejected)
        {
            await deliveries.FailAsync(report.ReportId, rejected.Channel, rejected.Destination, rejected.PlatformError, clock.GetUtcNow(), ct);
            metrics.NotSent(rejected.Channel, permanent: true);
            logger.LogWarning("The weekly adoption card of push {PushId} was not delivered: {Channel} said {PlatformError}",
                report.PushId, rejected.Channel, rejected.PlatformError);
            return false;
        }
        catch (Exception e) when (TransientDelivery.Is(e, ct))
        {
            await cards.PostponeAsync(claim.Ticket, channel, report, e, ct);
            return false;
        }
    }

    private Task<SentCard> SendAsync(AdoptionReportDue report, DeliverySettings? delivery, string channel, CancellationToken ct)
    {
        if (delivery is null)
        {
            throw new DeliveryRejectedException(channel, null, $"push {report.PushId}: no card of it went through this Dispatcher, so its channel is unknown");
        }

        var id = report.ReportId.ToString("N");
        return channel switch
        {
            "slack" => services.GetRequiredService<SlackChannel>().PostAsync(
                delivery.SlackChannel ?? delivery.SlackFallbackChannel ?? options.Value.Slack.DefaultChannel
                ?? throw new DeliveryRejectedException("slack", null, $"push {report.PushId} sends direct messages only: set delivery.slack.fallback_channel " +
                    "or Dispatcher:Slack:DefaultChannel for its weekly adoption card"),
                AdoptionReportCard.Slack(report), ct),
            "teams" => services.GetRequiredService<TeamsChannel>().PostAsync(report.PushId, delivery.TeamsWebhook, AdoptionReportCard.Teams(report), id, ct),
            "email" => services.GetRequiredService<EmailChannel>().SendAsync(report.PushId,
                delivery.EmailTo ?? throw new DeliveryRejectedException("email", null, $"push {report.PushId} mails each owner: set delivery.email.to for its weekly adoption card"),
                AdoptionReportCard.Title(report), AdoptionReportCard.Text(report), AdoptionReportCard.Html(report), ct),
            "console" => Log(report, id),
            var other => throw new DeliveryRejectedException(other, null, $"push {report.PushId}: delivery.channel '{other}' is not one of slack, teams, email, console"),
        };
    }

    private Task<SentCard> Log(AdoptionReportDue report, string id)
    {
        logger.LogInformation("Weekly adoption card:\n{Card}", AdoptionReportCard.Text(report));
        return Task.FromResult(new SentCard("console", "log", id));
    }
}
