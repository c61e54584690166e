using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace ContextPush.Callbacks.Slack;

/// <summary>
/// Slack's request signing (https://api.slack.com/authentication/verifying-requests-from-slack):
/// <c>v0=</c> + hex HMAC-SHA256 of <c>v0:{timestamp}:{raw body}</c> with the signing secret.
/// </summary>
public static class SlackSignature
{
    public static string Compute(string signingSecret, string timestamp, ReadOnlySpan<byte> body)
    {
        var prefix = Encoding.UTF8.GetBytes($"v0:{timestamp}:");
        var basestring = new byte[prefix.Length + body.Length];
        prefix.CopyTo(basestring, 0);
        body.CopyTo(basestring.AsSpan(prefix.Length));
        var hash = HMACSHA256.HashData(Encoding.UTF8.GetBytes(signingSecret), basestring);
        return "v0=" + Convert.ToHexStringLower(hash);
    }

    /// <summary>Null when genuine, else the short reason to answer with.</summary>
    public static string? Verify(string? signingSecret, string? timestamp, string? signature, ReadOnlySpan<byte> body,
        DateTimeOffset now, TimeSpan tolerance)
    {
        if (string.IsNullOrEmpty(signingSecret))
        {
            return "signing secret not configured";
        }

        if (string.IsNullOrEmpty(timestamp) || string.IsNullOrEmpty(signature))
        {
            return "missing X-Slack-Request-Timestamp or X-Slack-Signature";
        }

        if (!long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            || (now - DateTimeOffset.FromUnixTimeSeconds(seconds)).Duration() > tolerance)
        {
            return "stale or invalid timestamp";
        }

        var expected = Encoding.ASCII.GetBytes(Compute(signingSecret, timestamp, body));
        var given = Encoding.ASCII.GetBytes(signature);
        return CryptographicOperations.FixedTimeEquals(expected, given) ? null : "invalid signature";
    }
}
