using ContextPush.Contracts;

namespace ContextPush.Assembler.Context;

/// <summary>Turns a delta into a story with a person to act on it.</summary>
public sealed class ContextAssembler(WarehouseContextSource warehouse)
{
    public async Task<AssembledContext> AssembleAsync(DeltaDetected delta, CancellationToken ct)
    {
        var account = await warehouse.FindAccountAsync(delta, ct);
        var tickets = await warehouse.RecentTicketsAsync(delta, ct);
        var name = account?.AccountName ?? delta.AccountKey;
        var missing = new List<string>();
        if (account is null)
        {
            missing.Add("account");
        }

        if (account?.Owner is null)
        {
            // The Dispatcher routes an unknown owner to the push's fallback destination.
            missing.Add("owner");
        }

        return new AssembledContext
        {
            AccountName = name,
            Owner = account?.Owner,
            Tickets = tickets,
            Headline = Wording.Headline(name, delta),
            Lines = Wording.Lines(account?.Owner, tickets),
            Links = account?.CrmUrl is { } url ? [new CardLink("Open in Salesforce", url)] : [],
            Missing = missing,
        };
    }
}
