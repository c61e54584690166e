using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace ContextPush.Callbacks.HubSpot;

/// <summary>
/// HubSpot's v3 request signature (developers.hubspot.com, "Validating requests"): base64 HMAC-SHA256,
/// keyed with the app's client secret, of method + URI + body + the <c>X-HubSpot-Request-Timestamp</c>
/// (milliseconds), where the URI is the one HubSpot called with its percent-encoded reserved characters
/// decoded; requests older than five minutes are refused.
/// </summary>
public static class HubSpotSignature
{
    private static readonly (string Encoded, string Decoded)[] Decodings =
    [
        ("%3A", ":"), ("%2F", "/"), ("%3F", "?"), ("%40", "@"), ("%21", "!"), ("%24", "$"), ("%27", "'"), ("%28", "("), ("%29", ")"),
        ("%2A", "*"), ("%2C", ","), ("%3B", ";"),
    ];

    public static string Compute(string clientSecret, string method, string uri, ReadOnlySpan<byte> body, string timestamp)
    {
        var decoded = Decodings.Aggregate(uri, (text, d) => text.Replace(d.Encoded, d.Decoded, StringComparison.OrdinalIgnoreCase));
        var source = Encoding.UTF8.GetBytes(method.ToUpperInvariant() + decoded).Concat(body.ToArray()).Concat(Encoding.UTF8.GetBytes(timestamp)).ToArray();
        return Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(clientSecret), source));
    }

    /// <summary>Null when genuine, else the short reason to answer with.</summary>
    public static string? Verify(string? clientSecret, string method, string uri, ReadOnlySpan<byte> body, string? timestamp, string? signature,
        DateTimeOffset now, TimeSpan tolerance)
    {
        if (string.IsNullOrEmpty(clientSecret))
        {
            return "client secret not configured";
        }

        if (string.IsNullOrEmpty(timestamp) || string.IsNullOrEmpty(signature))
        {
            return "missing X-HubSpot-Request-Timestamp or X-HubSpot-Signature-v3";
        }

        if (!long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var milliseconds)
            || now - DateTimeOffset.FromUnixTimeMilliseconds(milliseconds) > tolerance)
        {
            return "stale or invalid timestamp";
        }

        var expected = Encoding.ASCII.GetBytes(Compute(clientSecret, method, uri, body, timestamp));
        return CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(signature)) ? null : "invalid signature";
    }
}
