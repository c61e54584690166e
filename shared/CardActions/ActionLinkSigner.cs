using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace ContextPush.CardActions;

/// <summary>
/// Tokens of the form <c>v1.{payload}.{signature}</c>, base64url, where the signature is HMAC-SHA256
/// of <c>v1.{payload}</c>. Verified in constant time against the current key and, during a
/// rotation, the previous one.
/// </summary>
public sealed class ActionLinkSigner(IOptions<ActionLinkOptions> options)
{
    private const string Version = "v1";

    public string Sign(ActionLink link)
    {
        var key = options.Value.Key is { Length: >= 32 } k
            ? k
            : throw new InvalidOperationException("ActionLinks:Key is not set (or shorter than 32 characters): signed action links cannot be issued");
        var payload = Base64Url(JsonSerializer.SerializeToUtf8Bytes(link));
        return $"{Version}.{payload}.{Base64Url(Mac(key, $"{Version}.{payload}"))}";
    }

    /// <summary>The link, or null with the reason to show when the token is malformed, tampered with, unknown or expired.</summary>
    public ActionLink? Verify(string token, DateTimeOffset now, out string reason)
    {
        if (VerifySignature(token, out reason) is not { } link)
        {
            return null;
        }

        if (link.ExpiresAt < now)
        {
            reason = "this link has expired";
            return null;
        }

        return link;
    }

    /// <summary>The link when it is ours and untouched, expired or not; null with the reason otherwise.</summary>
    public ActionLink? VerifySignature(string token, out string reason)
    {
        var parts = token.Split('.');
        if (parts is not [Version, var payload, var signature])
        {
            reason = "this link is not one of ours";
            return null;
        }

        byte[] given;
        try
        {
            given = FromBase64Url(signature);
        }
        catch (FormatException)
        {
            reason = "this link has been altered";
            return null;
        }

        var keys = new[] { options.Value.Key, options.Value.PreviousKey }.Where(k => k is { Length: >= 32 });
        if (!keys.Any(k => CryptographicOperations.FixedTimeEquals(Mac(k!, $"{Version}.{payload}"), given)))
        {
            reason = "this link has been altered or was signed with a key we no longer accept";
            return null;
        }

        ActionLink? link;
        try
        {
            link = JsonSerializer.Deserialize<ActionLink>(FromBase64Url(payload));
        }
        catch (Exception e) when (e is JsonException or FormatException)
        {
            link = null;
        }

        if (link is null)
        {
            reason = "this link is not one of ours";
            return null;
        }

        reason = "";
        return link;
    }

    private static byte[] Mac(string key, string data) => HMACSHA256.HashData(Encoding.UTF8.GetBytes(key), Encoding.UTF8.GetBytes(data));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static byte[] FromBase64Url(string text)
    {
        var padded = text.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(padded.PadRight(padded.Length + ((4 - (padded.Length % 4)) % 4), '='));
    }
}
