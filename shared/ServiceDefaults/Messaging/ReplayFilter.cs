using System.Text.Json;

namespace ContextPush.ServiceDefaults.Messaging;

/// <summary>Which parked messages a replay moves: all of them, a push's, or one delta's (a DeltaId or DigestId).</summary>
public sealed record ReplayFilter(string? PushId, Guid? DeltaId)
{
    public bool All => PushId is null && DeltaId is null;

    /// <summary>
    /// Reads the MassTransit envelope: the delta's id and push are on the message itself, on the
    /// approval it carries, or on the delta. A body that is not an envelope (the poison itself) matches only "all".
    /// </summary>
    public bool Matches(ReadOnlySpan<byte> body)
    {
        if (All)
        {
            return true;
        }

        try
        {
            using var envelope = JsonDocument.Parse(body.ToArray());
            if (!envelope.RootElement.TryGetProperty("message", out var message) || message.ValueKind != JsonValueKind.Object)
            {
                return false;
            }

            // The Dispatcher's CRM task carries the approval whole.
            if (message.TryGetProperty("approved", out var approval) && approval.ValueKind == JsonValueKind.Object)
            {
                message = approval;
            }

            var delta = message.TryGetProperty("delta", out var carried) && carried.ValueKind == JsonValueKind.Object ? carried : message;
            return (DeltaId is null || Id(message, "deltaId") == DeltaId || Id(message, "digestId") == DeltaId)
                && (PushId is null || Text(message, "pushId") == PushId || Text(delta, "pushId") == PushId);
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static Guid? Id(JsonElement message, string name) =>
        message.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.TryGetGuid(out var id) ? id : null;

    private static string? Text(JsonElement message, string name) =>
        message.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
