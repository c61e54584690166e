using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace ContextPush.Testing.Fakes;

public sealed partial class FakeSnowflake
{
    private readonly RSA _publicKey;

    /// <summary>Tokens seen with a problem, with what was wrong.</summary>
    public System.Collections.Concurrent.ConcurrentQueue<string> TokenProblems { get; } = new();

    /// <summary>
    /// What is wrong with the request's key-pair JWT, as Snowflake checks it: the token type header,
    /// RS256 signed by the user's registered key, <c>iss</c> ACCOUNT.USER.SHA256:fingerprint, <c>sub</c>
    /// ACCOUNT.USER, not expired and issued for at most an hour. Null when it is good.
    /// </summary>
    private string? TokenProblem(HttpContext http)
    {
        var problem = Check(http);
        if (problem is not null)
        {
            TokenProblems.Enqueue(problem);
        }

        return problem;
    }

    private string? Check(HttpContext http)
    {
        if (http.Request.Headers["X-Snowflake-Authorization-Token-Type"] != "KEYPAIR_JWT")
        {
            return "X-Snowflake-Authorization-Token-Type is not KEYPAIR_JWT";
        }

        var authorization = http.Request.Headers.Authorization.ToString();
        if (!authorization.StartsWith("Bearer ", StringComparison.Ordinal))
        {
            return "no bearer token";
        }

        var parts = authorization["Bearer ".Length..].Split('.');
        if (parts.Length != 3)
        {
            return "not a JWT";
        }

        using var header = JsonDocument.Parse(FromBase64Url(parts[0]));
        if (header.RootElement.TryGetProperty("alg", out var alg) && alg.GetString() != "RS256")
        {
            return "alg is not RS256";
        }

        if (!_publicKey.VerifyData(Encoding.ASCII.GetBytes($"{parts[0]}.{parts[1]}"), FromBase64Url(parts[2]), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1))
        {
            return "signature does not match the user's public key";
        }

        using var payload = JsonDocument.Parse(FromBase64Url(parts[1]));
        var claims = payload.RootElement;
        var qualified = $"{Account.ToUpperInvariant()}.{User.ToUpperInvariant()}";
        var fingerprint = "SHA256:" + Convert.ToBase64String(SHA256.HashData(_publicKey.ExportSubjectPublicKeyInfo()));
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var iat = claims.TryGetProperty("iat", out var i) ? i.GetInt64() : long.MinValue;
        var exp = claims.TryGetProperty("exp", out var e) ? e.GetInt64() : long.MinValue;
        return (claims.TryGetProperty("iss", out var iss) ? iss.GetString() : null) != $"{qualified}.{fingerprint}" ? "iss is not ACCOUNT.USER.SHA256:<fingerprint>"
            : (claims.TryGetProperty("sub", out var sub) ? sub.GetString() : null) != qualified ? "sub is not ACCOUNT.USER"
            : iat == long.MinValue || iat > now + 60 ? "iat missing or in the future"
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
