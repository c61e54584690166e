using System.Globalization;
using System.Text;
using System.Text.Json;
using ContextPush.Callbacks.Actions;
using ContextPush.Callbacks.Telemetry;
using ContextPush.CardActions;
using ContextPush.Contracts;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;

namespace ContextPush.Callbacks.Slack;

/// <summary>
/// POST /slack/interactions: Slack's interactivity request URL. Only genuine, fresh, first-seen,
/// well-formed requests change anything; everything else gets 400 or 401 with a short reason. The
/// answer goes back as soon as the click is recorded and published: updating the card is the
/// Dispatcher's work on <see cref="CardActioned"/>, well outside Slack's three seconds.
/// </summary>
public static class SlackInteractionEndpoint
{
    public static IEndpointRouteBuilder MapSlackInteractions(this IEndpointRouteBuilder app)
    {
        app.MapPost("/slack/interactions", HandleAsync);
        return app;
    }

    private static async Task<IResult> HandleAsync(HttpRequest request, ActionRecorder recorder, SeenSlackRequests seen,
        IOptions<CallbacksOptions> options, TimeProvider clock, CallbacksMetrics metrics, ILoggerFactory loggers, CancellationToken ct)
    {
        var logger = loggers.CreateLogger(typeof(SlackInteractionEndpoint));
        IResult Reject(int status, string reason, string? detail = null)
        {
            metrics.Refused(reason);
            logger.LogWarning("Slack interaction rejected with {Status}: {Reason} {Detail}", status, reason, detail);
            return Results.Text(detail is null ? reason : $"{reason}: {detail}", statusCode: status);
        }

        var body = await ReadBodyAsync(request, options.Value.MaxBodyBytes, ct);
        if (body is null)
        {
            return Reject(400, "body too large");
        }

        var slack = options.Value.Slack;
        var now = clock.GetUtcNow();
        var signature = request.Headers["X-Slack-Signature"].ToString();
        if (SlackSignature.Verify(slack.SigningSecret, request.Headers["X-Slack-Request-Timestamp"], signature, body, now, slack.TimestampTolerance)
            is { } refused)
        {
            return Reject(401, refused);
        }

        if (!await seen.FirstSightingAsync(signature, now, slack.TimestampTolerance, ct))
        {
            return Reject(401, "replayed request");
        }

        SlackInteraction interaction;
        try
        {
            var form = QueryHelpers.ParseQuery(Encoding.UTF8.GetString(body));
            if (!form.TryGetValue("payload", out var payload) || string.IsNullOrEmpty(payload))
            {
                return Reject(400, "missing payload");
            }

            interaction = SlackInteraction.Parse(payload!);
        }
        catch (Exception e) when (e is JsonException or FormatException or KeyNotFoundException or InvalidOperationException)
        {
            return Reject(400, "malformed payload");
        }

        var actions = new List<RecordedAction>();
        foreach (var (actionId, value) in interaction.Actions)
        {
            if (actionId.StartsWith(SlackActionIds.OpenCrm, StringComparison.Ordinal) && string.IsNullOrEmpty(value))
            {
                // A URL button of a card sent before its buttons carried their card: only counted.
                metrics.Accepted(CardAction.Opened, "slack", null);
                continue;
            }

            var (action, snoozeDays) = actionId.StartsWith(SlackActionIds.OpenCrm, StringComparison.Ordinal)
                ? ((CardAction?)CardAction.Opened, (int?)null)
                : ParseActionId(actionId);
            if (action is null)
            {
                return Reject(400, "unknown action", actionId.Length <= 64 ? actionId : actionId[..64]);
            }

            try
            {
                actions.Add(new RecordedAction(SlackInteraction.ParseValue(value), action.Value, interaction.UserId,
                    interaction.UserName, "slack", interaction.MessageTs, now, snoozeDays));
            }
            catch (Exception e) when (e is JsonException or FormatException)
            {
                return Reject(400, "malformed button value");
            }
        }

        foreach (var action in actions)
        {
            await recorder.RecordAsync(action, ct);
        }

        return Results.Ok();
    }

    /// <summary>"mark_reviewed", or "snooze_7d" for a snooze of seven days.</summary>
    public static (CardAction? Action, int? SnoozeDays) ParseActionId(string actionId)
    {
        if (actionId == SlackActionIds.Review)
        {
            return (CardAction.Reviewed, null);
        }

        if (actionId.StartsWith(SlackActionIds.SnoozePrefix, StringComparison.Ordinal) && actionId.EndsWith('d')
            && int.TryParse(actionId[SlackActionIds.SnoozePrefix.Length..^1], NumberStyles.None, CultureInfo.InvariantCulture, out var days)
            && days is > 0 and <= 365)
        {
            return (CardAction.Snoozed, days);
        }

        return (null, null);
    }

    /// <summary>The raw body, for a signature over its exact bytes; null past the limit.</summary>
    internal static async Task<byte[]?> ReadBodyAsync(HttpRequest request, int limit, CancellationToken ct)
    {
        if (request.ContentLength > limit)
        {
            return null;
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }
}
