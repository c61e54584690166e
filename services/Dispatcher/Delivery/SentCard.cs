namespace ContextPush.Dispatcher.Delivery;

/// <summary>Where a card went and the platform's id for it (Slack's ts), kept so the card can be updated later.</summary>
public sealed record SentCard(string Channel, string Destination, string MessageId);
