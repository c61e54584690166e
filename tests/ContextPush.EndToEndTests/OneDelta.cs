using System.Text.Json;
using System.Text.Json.Nodes;
using ContextPush.Contracts;

namespace ContextPush.EndToEndTests;

/// <summary>One account entering the cohort after a baseline run, followed to its Slack card: the start of every "follow one delta" test.</summary>
public static class OneDelta
{
    public static async Task<(string ButtonValue, CardButtonValue Button)> DeliverAsync(RunningContextPush system, long accountId, string accountName, TimeSpan patience)
    {
        await system.RunPushAsync();
        await system.ExecuteAsync("warehouse", $"""
            INSERT INTO accounts (id, name, owner_id, churn_probability, usage_drop, crm_url)
            VALUES ({accountId}, '{accountName}', 1, 0.97, 0.01, 'https://example.my.salesforce.com/001{accountId}');
            """);
        await system.RunPushAsync();
        var card = await system.Slack.NextMessageAsync(m => m.ToJsonString().Contains(accountName, StringComparison.Ordinal), patience);
        var value = card["blocks"]!.AsArray().SelectMany(b => b!["elements"] is JsonArray e ? e : [])
            .Select(e => (string?)e!["value"]).First(v => v is not null)!;
        return (value, JsonSerializer.Deserialize<CardButtonValue>(value)!);
    }
}
