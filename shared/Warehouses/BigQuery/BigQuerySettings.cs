using System.Data.Common;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace ContextPush.Warehouses.BigQuery;

/// <summary>
/// A BigQuery warehouse as its connection string gives it: <c>Project=my-project;Location=EU;Credentials=…</c>,
/// where Credentials is the service account's JSON key, base64-encoded so it fits a connection string
/// (<c>base64 -w0 key.json</c>). <c>Host</c> overrides https://bigquery.googleapis.com; <c>Dataset</c>
/// is where unqualified table names are looked for.
/// </summary>
public sealed record BigQuerySettings(string Project, string? Location, Uri Host, string ClientEmail, string KeyId, RSA Key, Uri TokenUri)
{
    public string? Dataset { get; init; }

    public static BigQuerySettings Parse(string name, string connectionString)
    {
        var parts = new DbConnectionStringBuilder { ConnectionString = connectionString };
        string? Part(string key) => parts.TryGetValue(key, out var value) && value is string text && text.Length > 0 ? text : null;
        string Required(string key) => Part(key)
            ?? throw new InvalidOperationException($"ConnectionStrings__{name} (BigQuery) has no {key}=; it needs Project and Credentials");

        var project = Required("Project");
        var host = new Uri(Part("Host") ?? "https://bigquery.googleapis.com");
        try
        {
            using var json = JsonDocument.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(Required("Credentials"))));
            var root = json.RootElement;
            string Field(string field) => root.TryGetProperty(field, out var value) && value.GetString() is { Length: > 0 } text
                ? text
                : throw new InvalidOperationException($"ConnectionStrings__{name} (BigQuery): the service account key has no {field}");
            var key = RSA.Create();
            key.ImportFromPem(Field("private_key"));
            return new BigQuerySettings(project, Part("Location"), host, Field("client_email"), Field("private_key_id"), key,
                new Uri(root.TryGetProperty("token_uri", out var uri) ? uri.GetString()! : "https://oauth2.googleapis.com/token"))
            {
                Dataset = Part("Dataset"),
            };
        }
        catch (Exception e) when (e is FormatException or JsonException or CryptographicException or ArgumentException)
        {
            throw new InvalidOperationException(
                $"ConnectionStrings__{name} (BigQuery): Credentials is not a base64-encoded service account JSON key ({e.GetType().Name}); give `base64 -w0 key.json`");
        }
    }
}
