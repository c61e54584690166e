using System.Globalization;
using ContextPush.AppHost.Servers;

namespace ContextPush.ComponentTests.LocalServers;

/// <summary>
/// The ports the local servers are given. A port handed out is bound only seconds later, when its
/// server has booted; in a busy run a port from the range the OS gives outgoing connections was
/// taken in between, and RabbitMQ exited.
/// </summary>
public sealed class FreePortTests
{
    [Fact]
    public void Ports_are_never_drawn_from_the_range_of_outgoing_connections()
    {
        var range = File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        var firstEphemeral = int.Parse(range[0], CultureInfo.InvariantCulture);

        var ports = Enumerable.Range(0, 200).Select(_ => FreePort.Next()).ToList();

        Assert.All(ports, port => Assert.InRange(port, 1024, firstEphemeral - 1));
    }

    [Fact]
    public void A_port_is_handed_out_once_even_while_nothing_has_bound_it_yet()
    {
        var ports = Enumerable.Range(0, 500).Select(_ => FreePort.Next()).ToList();

        Assert.Equal(ports.Count, ports.Distinct().Count());
    }
}
