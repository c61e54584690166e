namespace ContextPush.ServiceDefaults.Messaging;

/// <summary>A publish the broker did not confirm in time: transient, the message waits and is tried again.</summary>
public sealed class PublishNotConfirmedException(string messageType, TimeSpan within)
    : TimeoutException($"RabbitMQ did not confirm the publish of {messageType} within {within} (Messaging:PublishTimeout)");
