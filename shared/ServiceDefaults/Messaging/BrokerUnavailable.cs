using MassTransit;
using RabbitMQ.Client.Exceptions;

namespace ContextPush.ServiceDefaults.Messaging;

/// <summary>
/// Failures that mean the broker could not take a publish just now: the connection dropped, or a
/// queue's leader was lost before it confirmed. On a cluster the other nodes still take the
/// fault, so treating these as ordinary errors would park good messages in <c>_error</c> queues
/// during a leader election; they wait like the other servers' outages instead.
/// </summary>
public static class BrokerUnavailable
{
    public static void Handle(IExceptionConfigurator retry)
    {
        retry.Handle<ConnectionException>();
        retry.Handle<MessageNotAcknowledgedException>();
        retry.Handle<OperationInterruptedException>();
        retry.Handle<RabbitMQ.Client.Exceptions.PublishException>();
    }

    public static void Ignore(IExceptionConfigurator retry)
    {
        retry.Ignore<ConnectionException>();
        retry.Ignore<MessageNotAcknowledgedException>();
        retry.Ignore<OperationInterruptedException>();
        retry.Ignore<RabbitMQ.Client.Exceptions.PublishException>();
    }
}
