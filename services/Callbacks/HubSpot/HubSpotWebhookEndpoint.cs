using System.Text.Json;
using ContextPush.Callbacks.Slack;
using ContextPush.Callbacks.Telemetry;
using ContextPush.Contracts;
using MassTransit;
using Microsoft.Extensions.Options;

namespace ContextPush.Callbacks.HubSpot;

/// <summary>
/// POST /hubspot/webhooks: the HubSpot app's webhook target, for task changes. A genuine request (v3
/// signature, fresh) naming tasks becomes <see cref="CrmTasksChanged"/>: the Dispatcher, which knows which
/// delta each task is, reads the closed ones at once. The webhook is only a nudge; the Dispatcher's poll
/// finds the same completions without it, so a webhook lost or refused loses nothing.
/// </summary>
public static class HubSpotWebhookEndpoint
{
    public static IEndpointRouteBuilder MapHubSpotWebhooks(this IEndpointRouteBuilder app)
    {
        app.MapPost("/hubspot/webhooks", HandleAsync);
        return app;
    }

    private static async Task<IResult> HandleAsync(HttpRequest request, IPublishEndpoint publish, IOptions<CallbacksOptions> options, TimeProvider clock,
        CallbacksMetrics metrics, ILoggerFactory loggers, CancellationToken ct)
    {
        var logger = loggers.CreateLogger(typeof(HubSpotWebhookEndpoint));
        IResult Reject(int status, string reason)
        {
            metrics.Refused("hubspot: " + reason);
            logger.LogWarning("HubSpot webhook rejected with {Status}: {Reason}", status, reason);
            return Results.Text(reason, statusCode: status);
        }

        var body = await SlackInteractionEndpoint.ReadBodyAsync(request, options.Value.MaxBodyBytes, ct);
        if (body is null)
        {
            return Reject(400, "body too large");
        }

        var settings = options.Value.HubSpot;
        // The URI HubSpot signed is the public one it called, not the address behind the ingress.
        var uri = (settings.WebhookUrl?.GetLeftPart(UriPartial.Path) ?? $"{request.Scheme}://{request.Host}{request.Path}") + request.QueryString;
        if (HubSpotSignature.Verify(settings.ClientSecret, request.Method, uri, body, request.Headers["X-HubSpot-Request-Timestamp"],
                request.Headers["X-HubSpot-Signature-v3"], clock.GetUtcNow(), settings.TimestampTolerance) is { } refused)
        {
            return Reject(401, refused);
        }

        List<WebhookEvent>? events;
        try
        {
            events = JsonSerializer.Deserialize<List<WebhookEvent>>(body, JsonSerializerOptions.Web);
        }
        catch (JsonException e)
        {
            return Reject(400, "not a list of webhook events: " + e.Message);
        }

        // Tasks are object type 0-27; only a change of their status can be a completion.
        var tasks = (events ?? []).Where(e => e.ObjectTypeId == "0-27" && e.PropertyName is null or "hs_task_status" && e.ObjectId is not null)
            .Select(e => e.ObjectId!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)).Distinct().ToList();
        if (tasks.Count > 0)
        {
            await publish.Publish(new CrmTasksChanged { System = "hubspot", TaskIds = tasks, ReceivedAt = clock.GetUtcNow() }, ct);
            logger.LogInformation("HubSpot webhook: {Count} tasks changed", tasks.Count);
        }

        return Results.NoContent();
    }

    private sealed record WebhookEvent(long? ObjectId, string? ObjectTypeId, string? PropertyName, string? PropertyValue, string? SubscriptionType);
}
