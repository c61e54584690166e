using ContextPush.ServiceDefaults.Messaging;

namespace ContextPush.UnitTests;

/// <summary>The messaging connection string names one broker, or a cluster's nodes in the order clients try them.</summary>
public class BrokerAddressTests
{
    [Fact]
    public void One_broker_is_its_host_and_port_with_the_virtual_host_kept()
    {
        var broker = BrokerAddress.Parse("amqp://guest:secret@127.0.0.1:5673/orders");

        Assert.Equal([("127.0.0.1", 5673)], broker.Nodes);
        Assert.Equal("/orders", broker.Uri.AbsolutePath);
        Assert.Equal("guest:secret", broker.Uri.UserInfo);
    }

    [Fact]
    public void The_nodes_of_a_cluster_follow_the_first_and_leave_the_address_MassTransit_reads()
    {
        var broker = BrokerAddress.Parse("amqp://guest:guest@10.0.0.1:5672/vh?nodes=10.0.0.2:5672,10.0.0.3");

        Assert.Equal([("10.0.0.1", 5672), ("10.0.0.2", 5672), ("10.0.0.3", 5672)], broker.Nodes);
        Assert.Equal("", broker.Uri.Query);
        Assert.Equal("/vh", broker.Uri.AbsolutePath);
    }

    [Fact]
    public void A_node_with_a_port_that_is_not_a_number_is_named_in_the_error()
    {
        var error = Assert.Throws<FormatException>(() => BrokerAddress.Parse("amqp://h:5672/?nodes=other:amqp"));

        Assert.Contains("'other:amqp'", error.Message);
    }
}
