using System.Security.Cryptography;
using System.Text;

namespace ContextPush.Dispatcher.Crm;

/// <summary>
/// The id under which a delta's CRM task is claimed and recorded in <c>deliveries</c>: derived from the
/// DeltaId and the CRM, so every replica and every redelivery claims the same row, apart from the card's.
/// </summary>
public static class CrmTaskWork
{
    public static Guid IdFor(Guid deltaId, string system)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"crm-task|{system}|{deltaId:N}"));
        return new Guid(hash.AsSpan(0, 16));
    }
}
