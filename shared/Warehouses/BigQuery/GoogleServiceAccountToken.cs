using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ContextPush.Warehouses.Rest;

namespace ContextPush.Warehouses.BigQuery;

/// <summary>
/// A service account's OAuth access token (RFC 7523 JWT bearer grant, as Google documents for service
/// accounts): a JWT signed RS256 with the account's key, for the read-only BigQuery scope, traded at
/// the token endpoint for a token that is reused until a minute before it expires. The read-only
/// scope is the first guard against a cohort that writes: BigQuery refuses any change made with it.
/// </summary>
public sealed class GoogleServiceAccountToken(IGoogleTokenApi api, BigQuerySettings settings, TimeProvider clock)
{
    public const string Scope = "https://www.googleapis.com/auth/bigquery.readonly";
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly PatientHttp _http = new($"Google's token endpoint at {settings.TokenUri.Host}", clock);
    private (string Header, DateTimeOffset RenewAt)? _current;

    public async Task<string> AuthorizationAsync(CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            if (_current is { } current && clock.GetUtcNow() < current.RenewAt)
            {
                return current.Header;
            }

            var now = clock.GetUtcNow();
            var form = new Dictionary<string, string>
            {
                ["grant_type"] = "urn:ietf:params:oauth:grant-type:jwt-bearer",
                ["assertion"] = Assertion(now),
            };
            var (status, body) = await _http.SendAsync(c => api.TokenAsync(settings.TokenUri.AbsolutePath.TrimStart('/'), form, c), null, ct);
            using (body)
            {
                var root = body.RootElement;
                if (status != HttpStatusCode.OK || !root.TryGetProperty("access_token", out var token))
                {
                    var error = root.TryGetProperty("error", out var e) && e.ValueKind == JsonValueKind.String ? e.GetString() : $"HTTP {(int)status}";
                    var description = root.TryGetProperty("error_description", out var d) ? d.GetString() : null;
                    throw WarehouseRefusal.Answered("BigQuery", HttpStatusCode.Unauthorized, error ?? "", $"the service account {settings.ClientEmail} got no token: {error}: {description}");
                }

                var lifetime = root.TryGetProperty("expires_in", out var expires) ? TimeSpan.FromSeconds(expires.GetInt32()) : TimeSpan.FromMinutes(5);
                var header = "Bearer " + token.GetString();
                _current = (header, now + lifetime - TimeSpan.FromMinutes(1));
                return header;
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    private string Assertion(DateTimeOffset now)
    {
        var header = Base64Url(JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string> { ["alg"] = "RS256", ["typ"] = "JWT", ["kid"] = settings.KeyId }));
        var claims = Base64Url(JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
        {
            ["iss"] = settings.ClientEmail,
            ["scope"] = Scope,
            ["aud"] = settings.TokenUri.ToString(),
            ["iat"] = now.ToUnixTimeSeconds(),
            ["exp"] = now.AddHours(1).ToUnixTimeSeconds(),
        }));
        var signature = settings.Key.SignData(Encoding.ASCII.GetBytes($"{header}.{claims}"), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return $"{header}.{claims}.{Base64Url(signature)}";
    }

    private static string Base64Url(ReadOnlySpan<byte> bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
