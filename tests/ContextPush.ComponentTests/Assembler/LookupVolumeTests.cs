using System.Collections.Concurrent;
using ContextPush.Contracts;

namespace ContextPush.ComponentTests.Assembler;

/// <summary>10,000 deltas for 300 owners must not cost 10,000 CRM calls.</summary>
public sealed class LookupVolumeTests(ServersFixture fixture)
{
    [Fact]
    public async Task Ten_thousand_deltas_for_300_owners_are_batched_and_cached()
    {
        await using var bed = await AssemblerTestBed.StartAsync(fixture, "volume");
        const int accounts = 10_000, owners = 300;
        for (var o = 0; o < owners; o++)
        {
            bed.HubSpot.Owners[o.ToString("000")] = ($"Owner", $"{o:000}", $"owner{o:000}@example.com");
            bed.Slack.Users[$"owner{o:000}@example.com"] = $"U{o:000000}";
        }

        for (var a = 0; a < accounts; a++)
        {
            bed.HubSpot.Companies[$"{a}"] = new() { ["name"] = $"Account {a}", ["hubspot_owner_id"] = (a % owners).ToString("000") };
        }

        var deltas = Enumerable.Range(0, accounts).Select(a => AssemblerTestBed.Delta($"{a}", ("owner", "hubspot"), ("tickets", "none"))).ToList();
        var first = await AssembleAllAsync(bed, deltas);

        Assert.All(first, c => Assert.NotNull(c.Owner?.SlackUserId));
        Assert.Equal("U000042", first.Single(c => c.AccountName == "Account 342").Owner!.SlackUserId);
        var companyCalls = bed.HubSpot.Faults.CallsTo("/crm/v3/objects/companies/batch/read");
        // Deltas assembled 64 at a time share batch reads: well under one call per 50 deltas.
        Assert.InRange(companyCalls, accounts / 100, accounts / 50);
        Assert.Equal(3, bed.HubSpot.Faults.CallsTo("/crm/v3/owners/")); // 300 owners, pages of 100, read once
        Assert.Equal(owners, bed.Slack.LookupFaults.CallsTo("/api/users.lookupByEmail")); // once per address

        // The next run's deltas for the same accounts: everything from Redis, no call at all.
        var callsBefore = bed.HubSpot.Faults.Calls.Count + bed.Slack.LookupFaults.Calls.Count;
        var second = await AssembleAllAsync(bed, deltas.Take(2_000).ToList());
        Assert.All(second, c => Assert.NotNull(c.Owner?.SlackUserId));
        Assert.Equal(callsBefore, bed.HubSpot.Faults.Calls.Count + bed.Slack.LookupFaults.Calls.Count);
    }

    private static async Task<List<AssembledContext>> AssembleAllAsync(AssemblerTestBed bed, List<DeltaDetected> deltas)
    {
        var results = new ConcurrentBag<AssembledContext>();
        await Parallel.ForEachAsync(deltas,
            new ParallelOptions { MaxDegreeOfParallelism = 64, CancellationToken = TestContext.Current.CancellationToken },
            async (delta, _) => results.Add(await bed.AssembleAsync(delta)));
        return [.. results];
    }
}
