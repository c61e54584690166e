using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;

namespace ContextPush.Testing.Fakes;

public sealed partial class FakeBigQuery
{
    private const string BigQueryScope = "https://www.googleapis.com/auth/bigquery";
    private readonly RSA _publicKey;
    private readonly ConcurrentDictionary<string, (string Scope, DateTimeOffset Expires)> _tokens = new();

    public string ClientEmail { get; }

    public string KeyId { get; }

    /// <summary>Assertions refused at the token endpoint, with what was wrong.</summary>
    public ConcurrentQueue<string> TokenProblems { get; } = new();

    /// <summary>The scopes access tokens were issued for.</summary>
    public ConcurrentQueue<string> IssuedScopes { get; } = new();

    /// <summary>
    /// Google's token endpoint for the JWT bearer grant: the assertion must be RS256 with the key's id as
    /// kid, signed by the service account's key, <c>iss</c> its email, <c>aud</c> this endpoint, a
    /// BigQuery scope, and live at most an hour. Refusals are 400 invalid_grant or invalid_scope.
    /// </summary>
    private async Task<IResult> TokenAsync(HttpContext http)
    {
        var form = await http.Request.ReadFormAsync();
        if (form["grant_type"] != "urn:ietf:params:oauth:grant-type:jwt-bearer")
        {
            return Logged(http, Results.Json(new { error = "unsupported_grant_type", error_description = "Invalid grant_type" }, statusCode: 400));
        }

        var problem = FakeJwt.Verify(form["assertion"].ToString(), _publicKey, out var header, out var claims)
            ?? (FakeJwt.Text(header, "kid") != KeyId ? "kid is not the key's id" : null)
            ?? (FakeJwt.Text(claims, "iss") != ClientEmail ? "iss is not the service account's email" : null)
            ?? (FakeJwt.Text(claims, "aud") != new Uri(BaseUrl, "token").ToString() ? "aud is not the token endpoint" : null)
            ?? FakeJwt.LifetimeProblem(claims);
        if (problem is not null)
        {
            TokenProblems.Enqueue(problem);
            return Logged(http, Results.Json(new { error = "invalid_grant", error_description = problem == "signature does not match the registered public key" ? "Invalid JWT Signature." : problem },
                statusCode: 400));
        }

        var scope = FakeJwt.Text(claims, "scope") ?? "";
        if (!scope.Split(' ').Any(s => s.StartsWith(BigQueryScope, StringComparison.Ordinal)))
        {
            return Logged(http, Results.Json(new { error = "invalid_scope", error_description = "Invalid OAuth scope or ID token audience provided." }, statusCode: 400));
        }

        var token = "ya29.fake-" + Guid.NewGuid().ToString("N");
        _tokens[token] = (scope, DateTimeOffset.UtcNow.AddHours(1));
        IssuedScopes.Enqueue(scope);
        return Logged(http, Results.Json(new { access_token = token, expires_in = 3599, token_type = "Bearer" }));
    }

    /// <summary>The quota and the access token, before anything else; null when the request may go on.</summary>
    private IResult? Refused(HttpContext http, string project)
    {
        if (RequestsPerSecond is { } limit && !_limit.TryTake(limit))
        {
            return Logged(http, Error(403, "rateLimitExceeded",
                "Exceeded rate limits: too many api requests per user per method for this user_method. For more information, see https://cloud.google.com/bigquery/docs/troubleshoot-quotas"));
        }

        var authorization = http.Request.Headers.Authorization.ToString();
        if (!authorization.StartsWith("Bearer ", StringComparison.Ordinal) || !_tokens.TryGetValue(authorization["Bearer ".Length..], out var token)
            || token.Expires < DateTimeOffset.UtcNow)
        {
            return Logged(http, Error(401, "authError",
                "Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential."));
        }

        return project != Project ? Logged(http, Error(404, "notFound", $"Not found: Project {project}")) : null;
    }
}
