using ContextPush.Contracts;

namespace ContextPush.Assembler.Sources;

/// <summary>Where a push's recent support tickets come from (context.tickets).</summary>
public interface ITicketSource
{
    /// <summary>The name a push file uses: warehouse, zendesk.</summary>
    string Name { get; }

    /// <summary>Newest first; null when the help desk does not know the account; throws when it could not answer.</summary>
    Task<IReadOnlyList<SupportTicket>?> RecentAsync(DeltaDetected delta, int count, CancellationToken ct);
}
