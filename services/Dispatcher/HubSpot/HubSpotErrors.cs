using System.Net;
using System.Text.Json;
using ContextPush.Dispatcher.Delivery;

namespace ContextPush.Dispatcher.HubSpot;

/// <summary>
/// HubSpot's error bodies (<c>{"status": "error", "message": …, "category": …}</c>) as a refusal in its own
/// words, or as a transient failure: its rate limits (429) and its 5xx.
/// </summary>
public static class HubSpotErrors
{
    public static Exception ToException(HttpStatusCode status, string body, string? destination)
    {
        var words = Words(body) ?? $"HTTP {(int)status}: {(body.Length <= 300 ? body : body[..300] + "…")}";
        return (int)status >= 500 || status == HttpStatusCode.TooManyRequests
            ? new HttpRequestException($"hubspot: {words}", null, status)
            : new DeliveryRejectedException("hubspot", destination, words);
    }

    private static string? Words(string body)
    {
        try
        {
            var error = JsonSerializer.Deserialize<HubSpotError>(body, JsonSerializerOptions.Web);
            return error?.Message is null ? null : $"{error.Category ?? error.ErrorType}: {error.Message}";
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private sealed record HubSpotError(string? Message, string? Category, string? ErrorType);
}
