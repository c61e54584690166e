using ContextPush.Contracts;

namespace ContextPush.Assembler.Sources;

/// <summary>Where a push's account owner comes from (context.owner).</summary>
public interface IOwnerSource
{
    /// <summary>The name a push file uses: warehouse, hubspot, salesforce.</summary>
    string Name { get; }

    /// <summary>Null when the source has no such account; throws when it could not answer.</summary>
    Task<AccountFacts?> FindAsync(DeltaDetected delta, CancellationToken ct);
}
