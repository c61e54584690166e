using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace ContextPush.Warehouses.Snowflake;

/// <summary>
/// The JWT of Snowflake's key-pair authentication, signed RS256 with the user's private key:
/// <c>iss</c> is ACCOUNT.USER.SHA256:&lt;fingerprint of the public key&gt;, <c>sub</c> ACCOUNT.USER, and
/// it lives at most an hour. One is made per hour and reused until a minute before it ends.
/// </summary>
public sealed class SnowflakeKeyPairToken(SnowflakeSettings settings, TimeProvider clock)
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(59);
    private readonly Lock _gate = new();
    private (string Token, DateTimeOffset RenewAt)? _current;

    /// <summary>The account part of the claims: upper case, and without the region a locator such as xy12345.us-east-1 carries.</summary>
    public string QualifiedUser => $"{AccountForClaims(settings.Account)}.{settings.User.ToUpperInvariant()}";

    public string Authorization()
    {
        lock (_gate)
        {
            var now = clock.GetUtcNow();
            if (_current is not { } current || now >= current.RenewAt)
            {
                current = (Create(now), now + Lifetime - TimeSpan.FromMinutes(1));
                _current = current;
            }

            return "Bearer " + current.Token;
        }
    }

    /// <summary>SHA256:&lt;base64 of the SHA-256 of the public key's DER&gt;, as Snowflake's RSA_PUBLIC_KEY_FP shows it.</summary>
    public static string Fingerprint(RSA key) => "SHA256:" + Convert.ToBase64String(SHA256.HashData(key.ExportSubjectPublicKeyInfo()));

    public static string AccountForClaims(string account)
    {
        var dot = account.IndexOf('.', StringComparison.Ordinal);
        return (dot < 0 ? account : account[..dot]).ToUpperInvariant();
    }

    private string Create(DateTimeOffset now)
    {
        var header = Base64Url("""{"alg":"RS256","typ":"JWT"}"""u8);
        var payload = Base64Url(JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
        {
            ["iss"] = $"{QualifiedUser}.{Fingerprint(settings.Key)}",
            ["sub"] = QualifiedUser,
            ["iat"] = now.ToUnixTimeSeconds(),
            ["exp"] = (now + Lifetime).ToUnixTimeSeconds(),
        }));
        var signature = settings.Key.SignData(Encoding.ASCII.GetBytes($"{header}.{payload}"), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return $"{header}.{payload}.{Base64Url(signature)}";
    }

    private static string Base64Url(ReadOnlySpan<byte> bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
