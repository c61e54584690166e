using System.Diagnostics.Metrics;
using System.Text;
using System.Text.Json;
using ContextPush.Callbacks.Actions;
using ContextPush.Contracts;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;

namespace ContextPush.Callbacks.Slack;

/// <summary>
/// POST /slack/interactions: Slack's interactivity request URL. Only genuine, fresh, well-formed
/// requests change anything; everything else gets 400 or 401 with a short reason.
/// </summary>
public static class SlackInteractionEndpoint
{
    private const string ReviewActionId = "mark_reviewed";
    private const string OpenCrmActionId = "open_crm";

    private static readonly Meter Meter = new(Microsoft.Extensions.Hosting.Extensions.ContextPushTelemetryName);
    private static readonly Counter<long> Rejected = Meter.CreateCounter<long>("contextpush.callbacks.rejected", description: "Callback requests refused, by reason");
    private static readonly Counter<long> Accepted = Meter.CreateCounter<long>("contextpush.callbacks.actions", description: "Card actions accepted, by type");

    public static IEndpointRouteBuilder MapSlackInteractions(this IEndpointRouteBuilder app)
    {
        app.MapPost("/slack/interactions", HandleAsync);
        return app;
    }

    private static async Task<IResult> HandleAsync(HttpRequest request, ActionRecorder recorder, IOptions<CallbacksOptions> options,
        TimeProvider clock, ILoggerFactory loggers, CancellationToken ct)
    {
        var logger = loggers.CreateLogger(typeof(SlackInteractionEndpoint));
        IResult Reject(int status, string reason)
        {
            Rejected.Add(1, new KeyValuePair<string, object?>("reason", reason));
            logger.LogWarning("Slack interaction rejected with {Status}: {Reason}", status, reason);
            return Results.Text(reason, statusCode: status);
        }

        var body = await ReadBodyAsync(request, options.Value.MaxBodyBytes, ct);
        if (body is null)
        {
            return Reject(400, "body too large");
        }

        var slack = options.Value.Slack;
        if (SlackSignature.Verify(slack.SigningSecret, request.Headers["X-Slack-Request-Timestamp"], request.Headers["X-Slack-Signature"],
                body, clock.GetUtcNow(), slack.TimestampTolerance) is { } refused)
        {
            return Reject(401, refused);
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
            if (actionId.StartsWith(OpenCrmActionId, StringComparison.Ordinal))
            {
                Accepted.Add(1, new KeyValuePair<string, object?>("action", CardAction.Opened.ToString()));
                continue;
            }

            if (actionId != ReviewActionId)
            {
                return Reject(400, $"unknown action '{Truncate(actionId)}'");
            }

            try
            {
                actions.Add(new RecordedAction(SlackInteraction.ParseValue(value), CardAction.Reviewed, interaction.UserId,
                    interaction.UserName, "slack", interaction.MessageTs, clock.GetUtcNow()));
            }
            catch (Exception e) when (e is JsonException or FormatException)
            {
                return Reject(400, "malformed button value");
            }
        }

        foreach (var action in actions)
        {
            await recorder.RecordAsync(action, ct);
            Accepted.Add(1, new KeyValuePair<string, object?>("action", action.Action.ToString()));
        }

        // Slack needs an answer within 3 seconds; an empty 200 acknowledges the click.
        return Results.Ok();
    }

    private static async Task<byte[]?> ReadBodyAsync(HttpRequest request, int limit, CancellationToken ct)
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

    private static string Truncate(string text) => text.Length <= 64 ? text : text[..64];
}
