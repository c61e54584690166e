using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace ContextPush.Testing.Fakes;

/// <summary>An RS256 JWT as the fakes of Snowflake and Google check one: its shape, its algorithm and its signature.</summary>
public static class FakeJwt
{
    /// <summary>What is wrong with the token's form or signature, or null with its header and claims.</summary>
    public static string? Verify(string token, RSA key, out JsonElement header, out JsonElement claims)
    {
        header = claims = default;
        var parts = token.Split('.');
        if (parts.Length != 3)
        {
            return "not a JWT";
        }

        try
        {
            header = JsonDocument.Parse(FromBase64Url(parts[0])).RootElement.Clone();
            claims = JsonDocument.Parse(FromBase64Url(parts[1])).RootElement.Clone();
            if (!header.TryGetProperty("alg", out var alg) || alg.GetString() != "RS256")
            {
                return "alg is not RS256";
            }

            return key.VerifyData(Encoding.ASCII.GetBytes($"{parts[0]}.{parts[1]}"), FromBase64Url(parts[2]), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
                ? null
                : "signature does not match the registered public key";
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            return $"not a JWT ({e.GetType().Name})";
        }
    }

    public static string? Text(JsonElement claims, string name) =>
        claims.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    public static long Number(JsonElement claims, string name) =>
        claims.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetInt64() : long.MinValue;

    /// <summary>The checks of a token's lifetime Snowflake and Google share: issued now, not expired, at most an hour.</summary>
    public static string? LifetimeProblem(JsonElement claims)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var (iat, exp) = (Number(claims, "iat"), Number(claims, "exp"));
        return iat == long.MinValue || iat > now + 60 ? "iat missing or in the future"
            : exp <= now ? "expired"
            : exp - iat > 3600 ? "lifetime over one hour"
            : null;
    }

    private static byte[] FromBase64Url(string text)
    {
        var padded = text.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(padded + new string('=', (4 - padded.Length % 4) % 4));
    }
}
