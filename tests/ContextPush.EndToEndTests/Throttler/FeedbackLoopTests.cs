using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ContextPush.Contracts;
using ContextPush.Testing.Fakes;

namespace ContextPush.EndToEndTests.Throttler;

/// <summary>A click in Slack comes back through Callbacks and keeps the same alert from being pushed again.</summary>
[Collection(DefaultSystem.Name)]
public sealed class FeedbackLoopTests(SharedContextPush shared)
{
    [Fact]
    public async Task After_Snooze_the_next_alert_for_the_account_is_suppressed_and_the_decisions_endpoint_says_why()
    {
        var system = shared.System;
        var (_, value, card) = await shared.DeliverCardAsync();
        using (var click = SlackInteractionRequest.BlockActions(shared.Interactions, RunningContextPush.SigningSecret, "U0SNOOZER", "snooze_7d", value, "1700000009.000001"))
        using (var answer = await system.Http.SendAsync(click, TestContext.Current.CancellationToken))
        {
            Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        }

        await system.WaitUntilIdleAsync(SharedContextPush.Patience);
        var next = TestMessages.Delta(card.PushId, card.AccountKey, 0.99m, DeltaKind.Changed,
            previous: new Dictionary<string, decimal?> { ["churn_probability"] = 0.91m });
        await shared.Observer.Publisher.Publish(next, TestContext.Current.CancellationToken);
        var suppressed = await shared.Observer.WaitForAsync<DeliverySuppressed>(s => s.DeltaId == next.DeltaId, SharedContextPush.Patience);

        Assert.Equal("snoozed", suppressed.Reason);
        // The decision is recorded right after DeliverySuppressed is published.
        var decisions = await Eventually.GetAsync($"the decision on {next.DeltaId} in GET /decisions",
            () => system.Http.GetFromJsonAsync<JsonElement>(new Uri(system.Url("throttler"), $"/decisions?push={card.PushId}&account={card.AccountKey}"),
                TestContext.Current.CancellationToken),
            list => list.EnumerateArray().Any(d => d.GetProperty("deltaId").GetGuid() == next.DeltaId));
        var latest = decisions[0];
        Assert.Equal(("snoozed", false), (latest.GetProperty("reason").GetString(), latest.GetProperty("approved").GetBoolean()));
        Assert.StartsWith("snoozed by U0SNOOZER until ", latest.GetProperty("detail").GetString());
        Assert.Equal("approved", decisions[1].GetProperty("reason").GetString());
    }
}
