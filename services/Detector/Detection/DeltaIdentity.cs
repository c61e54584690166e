using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using ContextPush.Contracts;

namespace ContextPush.Detector.Detection;

/// <summary>
/// A delta's id is a name-based UUID (RFC 9562 version 8, SHA-256) of the push, the key, the kind and
/// the detected values, so a re-run after a crash re-emits the very same ids and every stage can
/// discard what it has already handled.
/// </summary>
public static class DeltaIdentity
{
    public static Guid Create(string pushId, string key, DeltaKind kind, IReadOnlyDictionary<string, decimal?> values)
    {
        var text = new StringBuilder()
            .Append(pushId).Append('\n').Append(key).Append('\n').Append((int)kind);
        foreach (var (name, value) in values.OrderBy(v => v.Key, StringComparer.Ordinal))
        {
            text.Append('\n').Append(name).Append('=').Append(Normalize(value));
        }

        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString()), hash);
        var bytes = hash[..16];
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x80); // version 8
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80); // RFC variant
        return new Guid(bytes, bigEndian: true);
    }

    /// <summary>0.85 and 0.8500 are the same value and must give the same id.</summary>
    private static string Normalize(decimal? value) =>
        value is null ? "null" : value.Value.ToString("0.############################", CultureInfo.InvariantCulture);
}
