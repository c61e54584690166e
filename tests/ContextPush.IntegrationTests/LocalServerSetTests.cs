using ContextPush.LocalServers;

namespace ContextPush.IntegrationTests;

public class LocalServerSetTests
{
    [Fact]
    public async Task Disposing_stops_every_server_process_and_deletes_their_data()
    {
        var none = new Dictionary<string, string?>(); // start all three even when CI provides servers
        var servers = await LocalServerSet.StartAsync(_ => { }, TestContext.Current.CancellationToken, none);
        var processes = servers.Started.SelectMany(s => ServerProcesses.Descendants(s.ProcessId).Prepend(s.ProcessId)).ToList();
        var epmd = servers.Started.OfType<RabbitMqServer>().Single().EpmdPort;
        var dataDirectory = servers.DataDirectory;
        Assert.Equal(3, servers.Started.Count);
        Assert.All(processes, pid => Assert.True(ServerProcesses.IsAlive(pid), $"process {pid} should be running"));
        Assert.True(await FreePort.AcceptsAsync(epmd, TestContext.Current.CancellationToken));

        await servers.DisposeAsync();

        Assert.All(processes, pid => Assert.False(ServerProcesses.IsAlive(pid), $"process {pid} ({ServerProcesses.CommandName(pid)}) was left running"));
        Assert.False(await FreePort.AcceptsAsync(epmd, TestContext.Current.CancellationToken), "the node's epmd was left running");
        Assert.False(Directory.Exists(dataDirectory), $"{dataDirectory} was left behind");
    }
}
