using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Security.Cryptography;

namespace ContextPush.Testing.Fakes;

/// <summary>Builds the form-encoded, signed POST Slack sends to an app's interactivity URL.</summary>
public static class SlackInteractionRequest
{
    public static HttpRequestMessage BlockActions(Uri url, string signingSecret, string userId, string actionId, string? value,
        string messageTs, DateTimeOffset? at = null, string? signatureOverride = null)
    {
        var payload = JsonSerializer.Serialize(new
        {
            type = "block_actions",
            user = new { id = userId, username = "ada", name = "ada", team_id = "T0001" },
            api_app_id = "A0001",
            container = new { type = "message", message_ts = messageTs, channel_id = "C0001", is_ephemeral = false },
            channel = new { id = "C0001", name = "customer-success" },
            message = new { ts = messageTs, type = "message" },
            response_url = "https://hooks.slack.com/actions/T0001/1/abc",
            actions = new[] { new { action_id = actionId, block_id = "contextpush_actions", value, type = "button", action_ts = messageTs } },
        });
        var body = "payload=" + Uri.EscapeDataString(payload);
        var timestamp = (at ?? DateTimeOffset.UtcNow).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var request = new HttpRequestMessage(HttpMethod.Post, url)
        {
            Content = new StringContent(body, Encoding.UTF8, new MediaTypeHeaderValue("application/x-www-form-urlencoded")),
        };
        request.Headers.Add("X-Slack-Request-Timestamp", timestamp);
        request.Headers.Add("X-Slack-Signature", signatureOverride ?? Sign(signingSecret, timestamp, body));
        return request;
    }

    /// <summary>Signed independently of the service's own code, exactly as Slack documents it.</summary>
    public static string Sign(string signingSecret, string timestamp, string body) =>
        "v0=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(signingSecret), Encoding.UTF8.GetBytes($"v0:{timestamp}:{body}")));
}
