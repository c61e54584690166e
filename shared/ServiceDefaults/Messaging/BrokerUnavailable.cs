using MassTransit;
using RabbitMQ.Client.Exceptions;

namespace ContextPush.ServiceDefaults.Messaging;

/// <summary>
/// Failures that mean the broker could not take a publish just now: the connection dropped, or a
/// queue's leader was lost before it confirmed. On a cluster the other nodes still take the
/// fault, so with the short retry of ordinary errors a good message could be parked in an
/// <c>_error</c> queue during a leader election; these get a retry that outlasts one.
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
