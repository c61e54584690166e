using System.Security.Cryptography;
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

        if (FakeJwt.Verify(authorization["Bearer ".Length..], _publicKey, out _, out var claims) is { } problem)
        {
            return problem == "signature does not match the registered public key" ? "signature does not match the user's public key" : problem;
        }

        var qualified = $"{Account.ToUpperInvariant()}.{User.ToUpperInvariant()}";
        var fingerprint = "SHA256:" + Convert.ToBase64String(SHA256.HashData(_publicKey.ExportSubjectPublicKeyInfo()));
        return FakeJwt.Text(claims, "iss") != $"{qualified}.{fingerprint}" ? "iss is not ACCOUNT.USER.SHA256:<fingerprint>"
            : FakeJwt.Text(claims, "sub") != qualified ? "sub is not ACCOUNT.USER"
            : FakeJwt.LifetimeProblem(claims);
    }
}
