using System.Text.Json.Nodes;

namespace ContextPush.Dispatcher.Preview;

/// <summary>A delivered card with its Block Kit preview, whatever channel it went to.</summary>
public sealed record RecentCard(DateTimeOffset DeliveredAt, string PushId, string AccountKey, string? Channel, string? Destination, JsonNode? Preview);
