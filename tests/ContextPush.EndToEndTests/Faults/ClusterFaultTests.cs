using System.Text.Json;
using ContextPush.Testing.Servers;

namespace ContextPush.EndToEndTests.Faults;

/// <summary>ContextPush on a three-node RabbitMQ cluster with quorum queues, as a platform team runs the broker.</summary>
public sealed class ClusterContextPush : FaultSuiteContextPush
{
    protected override int BrokerNodes => 3;

    // One replica each: the cluster's three nodes take the place of the second replicas on two cores.
    protected override int Replicas => 1;
}

/// <summary>Runs alone like the fault suite, on a cluster of its own.</summary>
[CollectionDefinition(DisableParallelization = true)]
public sealed class ClusterFaultSuite : ICollectionFixture<ClusterContextPush>;

/// <summary>
/// A RabbitMQ node lost mid-stream, the one every service is connected to and on which the queues'
/// leaders were declared: the services move to the other nodes, the quorum queues elect new leaders
/// from their replicas, and every card still arrives exactly once.
/// </summary>
[Collection(typeof(ClusterFaultSuite))]
public sealed class ClusterFaultTests(ClusterContextPush suite)
{
    [Fact]
    public Task A_RabbitMQ_node_killed_mid_stream_loses_nothing_and_doubles_nothing() => new FaultScenario(suite, "cluster").RunAsync(async s =>
    {
        await s.CardsAtLeastAsync(150);
        var queues = await QueuesAsync();
        Assert.All(queues.Where(q => q.Name.Split('-')[0] is "assembler" or "throttler" or "dispatcher" && !q.Name.EndsWith("_error", StringComparison.Ordinal)),
            q => Assert.Equal(("quorum", 3), (q.Type, q.Members)));
        var first = queues.Single(q => q.Name == "throttler-context-assembled").Leader;
        s.Begin();
        await suite.Servers.KillAsync(FaultServers.Messaging + "-1");
        s.End();
        s.Notes.Enqueue($"killed the leader node {first} of throttler-context-assembled; error queues: " +
            string.Join(", ", queues.Where(q => q.Name.EndsWith("_error", StringComparison.Ordinal)).Select(q => q.Type).Distinct()));
    });

    /// <summary>Each queue of the application's virtual host with its type, replicas and leader node.</summary>
    private async Task<List<(string Name, string Type, int Members, string? Leader)>> QueuesAsync()
    {
        using var management = new RabbitMqManagement(suite.System.Servers.MessagingManagement);
        using var listing = JsonDocument.Parse(await management.GetJsonAsync($"api/queues/{Uri.EscapeDataString(suite.System.Prefix)}", CancellationToken.None));
        return [.. listing.RootElement.EnumerateArray().Select(q => (
            q.GetProperty("name").GetString()!,
            q.GetProperty("type").GetString()!,
            q.TryGetProperty("members", out var members) ? members.GetArrayLength() : 1,
            q.TryGetProperty("leader", out var leader) ? leader.GetString() : null))];
    }
}
