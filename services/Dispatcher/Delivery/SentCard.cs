using System.Text.Json.Nodes;

namespace ContextPush.Dispatcher.Delivery;

/// <summary>
/// Where a card went, the platform's id for it (Slack's ts) and, for platforms that can edit a sent
/// message, the card as posted: kept so it can be updated later (reviewed, snoozed, resolved).
/// </summary>
public sealed record SentCard(string Channel, string Destination, string MessageId, JsonObject? Card = null);
