using System.Net;
using System.Text.Json.Nodes;
using ContextPush.Testing.Fakes;

namespace ContextPush.EndToEndTests;

/// <summary>One warehouse change through all five services as separate processes, and the click that comes back.</summary>
public class ThinPathTests(ServersFixture fixture)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_row_entering_the_cohort_becomes_one_Slack_card_and_its_review_click_is_recorded()
    {
        await using var system = await RunningContextPush.StartAsync(fixture, "thin");
        try
        {
            var baseline = await system.RunPushAsync();
            Assert.True(baseline.GetProperty("baseline").GetBoolean());
            Assert.Equal(0, baseline.GetProperty("deltasEmitted").GetInt64());

            await system.ExecuteAsync("warehouse", """
                INSERT INTO owners (id, name, email, slack_user_id) VALUES (90001, 'Grace Tester', 'grace@example.com', 'U0GRACE01');
                INSERT INTO accounts (id, name, owner_id, churn_probability, usage_drop, crm_url)
                VALUES (990001, 'Zeta Widgets', 90001, 0.95, 0.01, 'https://example.my.salesforce.com/lightning/r/Account/001ZETA/view');
                INSERT INTO tickets (account_id, subject, priority, status, created_at) VALUES
                    (990001, 'Export button missing', 'high', 'open', now() - interval '1 day'),
                    (990001, 'Invoice PDF is blank', 'normal', 'open', now() - interval '2 days'),
                    (990001, 'SAML certificate expiring', 'urgent', 'pending', now() - interval '3 days'),
                    (990001, 'Old ticket that must not show', 'low', 'closed', now() - interval '40 days');
                """);

            var run = await system.RunPushAsync();
            Assert.Equal(1, run.GetProperty("deltasEmitted").GetInt64());

            var card = await system.Slack.NextMessageAsync(m => m.ToJsonString().Contains("Zeta Widgets"), Patience);
            var blocks = JsonText.All(card["blocks"]!);
            Assert.Equal("U0GRACE01", (string?)card["channel"]); // a DM to the owner
            Assert.Contains("Zeta Widgets", blocks);
            Assert.Contains("<@U0GRACE01>", blocks);
            Assert.Contains("Export button missing", blocks);
            Assert.Contains("Invoice PDF is blank", blocks);
            Assert.Contains("SAML certificate expiring", blocks);
            Assert.DoesNotContain("Old ticket that must not show", blocks);

            var quiet = await system.RunPushAsync();
            Assert.Equal(0, quiet.GetProperty("deltasEmitted").GetInt64());
            await system.WaitUntilIdleAsync(Patience);
            Assert.Single(system.Slack.Messages);

            var review = ReviewButtonValue(card);
            var callbacks = new Uri(system.Url("callbacks"), "/slack/interactions");
            using (var click = SlackInteractionRequest.BlockActions(callbacks, RunningContextPush.SigningSecret, "U0GRACE01", "mark_reviewed", review, "1700000000.000100"))
            using (var answer = await system.Http.SendAsync(click, TestContext.Current.CancellationToken))
            {
                Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
            }

            Assert.Equal(1L, await system.ScalarAsync<long>("callbacksdb",
                "SELECT count(*) FROM card_actions WHERE action = 'Reviewed' AND actor_id = 'U0GRACE01'"));

            using (var forged = SlackInteractionRequest.BlockActions(callbacks, RunningContextPush.SigningSecret, "U0MALLORY", "mark_reviewed", review,
                       "1700000000.000200", signatureOverride: "v0=" + new string('0', 64)))
            using (var refused = await system.Http.SendAsync(forged, TestContext.Current.CancellationToken))
            {
                Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
            }

            Assert.Equal(1L, await system.ScalarAsync<long>("callbacksdb", "SELECT count(*) FROM card_actions"));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw new Xunit.Sdk.XunitException($"{e.Message}\n--- service output ({system.LogFile}) ---\n{RunningContextPush.Tail(system.LogFile)}", e);
        }
    }

    [Fact]
    public async Task When_the_account_leaves_the_cohort_its_card_is_marked_resolved_and_loses_its_buttons()
    {
        await using var system = await RunningContextPush.StartAsync(fixture, "resolve");
        try
        {
            await system.RunPushAsync();
            await system.ExecuteAsync("warehouse", """
                INSERT INTO accounts (id, name, owner_id, churn_probability, usage_drop, crm_url)
                VALUES (990002, 'Omega Tools', 1, 0.93, 0.01, 'https://example.my.salesforce.com/001OMEGA');
                """);
            await system.RunPushAsync();
            var card = await system.Slack.NextMessageAsync(m => JsonText.All(m).Contains("Omega Tools"), Patience);
            // A resolution comes a run later; by then the Throttler has heard that the card was delivered.
            await system.WaitUntilIdleAsync(Patience);

            await system.ExecuteAsync("warehouse", "UPDATE accounts SET churn_probability = 0.12 WHERE id = 990002");
            var run = await system.RunPushAsync();
            var resolved = await system.Slack.NextUpdateAsync(u => JsonText.All(u).Contains("Omega Tools"), Patience);

            Assert.Equal(1, run.GetProperty("deltasEmitted").GetInt64());
            var blocks = resolved["blocks"]!.AsArray();
            Assert.DoesNotContain(blocks, b => (string?)b!["type"] == "actions");
            Assert.Contains("Resolved: Omega Tools: no longer in churn risk", JsonText.All(blocks[^1]!));
            Assert.Equal((string?)card["blocks"]![0]!["text"]!["text"], (string?)blocks[0]!["text"]!["text"]);
            Assert.Single(system.Slack.Messages); // updated in place, no second message
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw new Xunit.Sdk.XunitException($"{e.Message}\n--- service output ({system.LogFile}) ---\n{RunningContextPush.Tail(system.LogFile)}", e);
        }
    }

    /// <summary>Every string in the blocks, as Slack would render them (the serializer's escaping aside).</summary>

    private static string ReviewButtonValue(JsonObject card) =>
        (string)card["blocks"]!.AsArray()
            .SelectMany(b => b!["elements"] is JsonArray elements ? elements : [])
            .Single(e => (string?)e!["action_id"] == "mark_reviewed")!["value"]!;
}
