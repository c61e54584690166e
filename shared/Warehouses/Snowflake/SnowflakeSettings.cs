using System.Data.Common;
using System.Security.Cryptography;

namespace ContextPush.Warehouses.Snowflake;

/// <summary>
/// A Snowflake warehouse as its connection string gives it:
/// <c>Account=MYORG-MYACCOUNT;User=CONTEXTPUSH;PrivateKey=…;Warehouse=…;Database=…;Schema=…;Role=…</c>,
/// with <c>Host</c> when the account is not reached at https://&lt;account&gt;.snowflakecomputing.com.
/// The private key is PKCS#8, as PEM or as the base64 between its header lines (one line, so it fits a
/// connection string); unencrypted, since the secret store guards it.
/// </summary>
public sealed record SnowflakeSettings(string Account, string User, RSA Key, Uri Host, string? Warehouse, string? Database, string? Schema, string? Role)
{
    /// <summary>Reads the connection string of <paramref name="name"/>, or says which part is missing or wrong (never echoing the key).</summary>
    public static SnowflakeSettings Parse(string name, string connectionString)
    {
        var parts = new DbConnectionStringBuilder { ConnectionString = connectionString };
        string? Part(string key) => parts.TryGetValue(key, out var value) && value is string text && text.Length > 0 ? text : null;
        string Required(string key) => Part(key)
            ?? throw new InvalidOperationException($"ConnectionStrings__{name} (Snowflake) has no {key}=; it needs Account, User and PrivateKey");

        var account = Required("Account");
        var host = Part("Host") is { } given
            ? new Uri(given.Contains("://", StringComparison.Ordinal) ? given : "https://" + given)
            : new Uri($"https://{account.ToLowerInvariant()}.snowflakecomputing.com");
        return new SnowflakeSettings(account, Required("User"), ReadKey(name, Required("PrivateKey")), host,
            Part("Warehouse"), Part("Database"), Part("Schema"), Part("Role"));
    }

    private static RSA ReadKey(string name, string text)
    {
        var rsa = RSA.Create();
        try
        {
            if (text.Contains("-----BEGIN", StringComparison.Ordinal))
            {
                rsa.ImportFromPem(text.Replace("\\n", "\n", StringComparison.Ordinal));
            }
            else
            {
                rsa.ImportPkcs8PrivateKey(Convert.FromBase64String(text), out _);
            }

            return rsa;
        }
        catch (Exception e) when (e is CryptographicException or FormatException or ArgumentException)
        {
            rsa.Dispose();
            throw new InvalidOperationException(
                $"ConnectionStrings__{name} (Snowflake): PrivateKey is not an unencrypted PKCS#8 RSA key ({e.GetType().Name}); " +
                "give the PEM of `openssl pkcs8 -topk8 -nocrypt`, or the base64 between its header lines");
        }
    }
}
