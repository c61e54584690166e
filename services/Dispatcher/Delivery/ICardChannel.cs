using ContextPush.Contracts;

namespace ContextPush.Dispatcher.Delivery;

/// <summary>One way of putting a card in front of a person: Slack, the console, later Teams and email.</summary>
public interface ICardChannel
{
    Task<SentCard> SendAsync(DeliveryApproved approved, CancellationToken ct);
}
