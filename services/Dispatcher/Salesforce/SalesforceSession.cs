using System.Net;
using System.Text.Json;
using ContextPush.Dispatcher.Delivery;
using Microsoft.Extensions.Options;

namespace ContextPush.Dispatcher.Salesforce;

/// <summary>
/// One access token for all sends, asked for with the client credentials flow and asked for again only
/// when Salesforce says the session is gone (401 INVALID_SESSION_ID): the flow issues no refresh token.
/// </summary>
public sealed class SalesforceSession(ISalesforceTasksApi api, IOptions<DispatcherOptions> options)
{
    private readonly SemaphoreSlim gate = new(1, 1);
    private string? token;

    public async Task<string> TokenAsync(CancellationToken ct)
    {
        if (Volatile.Read(ref token) is { } known)
        {
            return known;
        }

        await gate.WaitAsync(ct);
        try
        {
            return token ??= await RequestAsync(ct);
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>Forgets a token Salesforce refused, unless another send already replaced it.</summary>
    public void Refused(string refused) => Interlocked.CompareExchange(ref token, null, refused);

    private async Task<string> RequestAsync(CancellationToken ct)
    {
        var settings = options.Value.Salesforce;
        using var response = await api.TokenAsync(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = settings.ClientId ?? "",
            ["client_secret"] = settings.ClientSecret ?? "",
        }, ct);
        var body = await response.Content.ReadAsStringAsync(ct);
        if (response.IsSuccessStatusCode)
        {
            return JsonDocument.Parse(body).RootElement.GetProperty("access_token").GetString()
                ?? throw new DeliveryRejectedException("salesforce", null, "the token endpoint answered without an access_token");
        }

        if (response.StatusCode is HttpStatusCode.TooManyRequests || (int)response.StatusCode >= 500)
        {
            throw new HttpRequestException($"token endpoint: HTTP {(int)response.StatusCode}", null, response.StatusCode);
        }

        // {"error":"invalid_client","error_description":"invalid client credentials"}: the connected app's setup, not a passing fault.
        var error = JsonSerializer.Deserialize<OAuthError>(body, JsonSerializerOptions.Web);
        throw new DeliveryRejectedException("salesforce", null, $"token: {error?.Error}: {error?.ErrorDescription}");
    }

    private sealed record OAuthError([property: System.Text.Json.Serialization.JsonPropertyName("error")] string? Error,
        [property: System.Text.Json.Serialization.JsonPropertyName("error_description")] string? ErrorDescription);
}
