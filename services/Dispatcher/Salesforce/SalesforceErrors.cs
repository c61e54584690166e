using System.Net;
using System.Text.Json;
using ContextPush.Dispatcher.Delivery;

namespace ContextPush.Dispatcher.Salesforce;

/// <summary>
/// Salesforce's error bodies (<c>[{"message": …, "errorCode": …, "fields": […]}]</c>) as a refusal in its
/// own words, or as a transient failure: the org's request limit, lock contention, and its 5xx.
/// </summary>
public static class SalesforceErrors
{
    private static readonly HashSet<string> Transient = ["REQUEST_LIMIT_EXCEEDED", "UNABLE_TO_LOCK_ROW", "SERVER_UNAVAILABLE", "API_CURRENTLY_DISABLED"];

    public static Exception ToException(HttpStatusCode status, string body, string? destination)
    {
        var errors = Parse(body);
        var words = errors.Count == 0
            ? $"HTTP {(int)status}: {(body.Length <= 300 ? body : body[..300] + "…")}"
            : string.Join("; ", errors.Select(e => $"{e.ErrorCode}: {e.Message}"));
        return (int)status >= 500 || status is HttpStatusCode.TooManyRequests || errors.Any(e => Transient.Contains(e.ErrorCode ?? ""))
            ? new HttpRequestException($"salesforce: {words}", null, (int)status >= 500 ? status : HttpStatusCode.TooManyRequests)
            : new DeliveryRejectedException("salesforce", destination, words);
    }

    private static List<SalesforceError> Parse(string body)
    {
        try
        {
            return JsonSerializer.Deserialize<List<SalesforceError>>(body, JsonSerializerOptions.Web) ?? [];
        }
        catch (JsonException)
        {
            return [];
        }
    }

    private sealed record SalesforceError(string? Message, string? ErrorCode);
}
