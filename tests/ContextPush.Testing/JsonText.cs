using System.Text.Json.Nodes;

namespace ContextPush.Testing;

/// <summary>Every string in a JSON document, one per line: what a card says, wherever its blocks put it.</summary>
public static class JsonText
{
    public static string All(JsonNode node) => node switch
    {
        JsonObject o => string.Join('\n', o.Select(p => p.Value is null ? "" : All(p.Value))),
        JsonArray a => string.Join('\n', a.Select(n => n is null ? "" : All(n))),
        JsonValue v when v.TryGetValue<string>(out var text) => text,
        _ => "",
    };
}
