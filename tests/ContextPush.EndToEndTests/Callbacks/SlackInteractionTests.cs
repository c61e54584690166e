using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ContextPush.Contracts;
using ContextPush.Testing.Fakes;

namespace ContextPush.EndToEndTests.Callbacks;

/// <summary>Slack's interactivity requests against the real Callbacks and Dispatcher processes.</summary>
[Collection(DefaultSystem.Name)]
public sealed class SlackInteractionTests(SharedContextPush shared)
{
    private RunningContextPush System => shared.System;

    [Fact]
    public async Task Slack_gets_its_answer_before_the_slow_card_update_which_then_shows_the_reviewer_and_drops_the_buttons()
    {
        var (card, value, delivered) = await shared.DeliverCardAsync();
        var header = (string?)card["blocks"]![0]!["text"]!["text"];
        System.Slack.HoldUpdates = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        try
        {
            using var click = SlackInteractionRequest.BlockActions(shared.Interactions, RunningContextPush.SigningSecret, "U0REVIEW1", "mark_reviewed", value, "1700000001.000001");
            // An answer that waited for the card's update would wait for the held Slack, and not come at all.
            using var answer = await System.Http.SendAsync(click, TestContext.Current.CancellationToken).WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
            Assert.Equal(1L, await shared.RecordedAsync(delivered.DeltaId));

            // The update reaches Slack after the answer, and is still held there.
            await System.Slack.NextHeldUpdateAsync(u => Header(u) == header, SharedContextPush.Patience);
            Assert.DoesNotContain(System.Slack.Updates, u => Header(u) == header);
        }
        finally
        {
            System.Slack.HoldUpdates.TrySetResult();
        }

        var updated = await System.Slack.NextUpdateAsync(u => Header(u) == header, SharedContextPush.Patience);
        var blocks = updated["blocks"]!.AsArray();
        Assert.DoesNotContain(blocks, b => (string?)b!["type"] == "actions");
        Assert.Contains("Reviewed by <@U0REVIEW1>", (string?)blocks[^1]!["elements"]![0]!["text"]);
        Assert.NotNull(await System.ScalarAsync<object>("callbacksdb", "SELECT time_to_action FROM card_actions WHERE delta_id = @delta", ("delta", delivered.DeltaId)));
    }

    [Fact]
    public async Task Explain_tells_one_accounts_story_from_each_services_own_api()
    {
        var (_, value, card) = await shared.DeliverCardAsync();
        using (var click = SlackInteractionRequest.BlockActions(shared.Interactions, RunningContextPush.SigningSecret, "U0EXPLAIN", "mark_reviewed", value,
                   "1700000003.000001"))
        {
            using var answer = await System.Http.SendAsync(click, TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        }

        await shared.Observer.WaitForAsync<CardActioned>(a => a.DeltaId == card.DeltaId, SharedContextPush.Patience);
        await System.WaitUntilIdleAsync(SharedContextPush.Patience);
        // The same value again: the Throttler suppresses it as reviewed, with the numbers behind that.
        var again = TestMessages.Delta(RunningContextPush.PushId, card.AccountKey, 0.91m,
            settings: new Dictionary<string, string> { ["delivery:slack:fallback_channel"] = "C0FALLBACK" });
        await shared.Observer.Publisher.Publish(again, TestContext.Current.CancellationToken);
        await shared.Observer.WaitForAsync<DeliverySuppressed>(d => d.DeltaId == again.DeltaId, SharedContextPush.Patience);

        var explained = await System.Http.GetFromJsonAsync<JsonElement>(
            new Uri(System.Url("callbacks"), $"/explain?push={RunningContextPush.PushId}&account={card.AccountKey}"), TestContext.Current.CancellationToken);
        var story = explained.GetProperty("story").EnumerateArray().Select(l => l.GetString()!).ToList();

        Assert.Empty(explained.GetProperty("unavailable").EnumerateObject());
        // The account is not in the demo warehouse: the Detector says so, read from the warehouse now.
        Assert.Equal("Now: not in the cohort now, and not tracked: no delta.", story[0]);
        var deltas = story.Where(l => l.Contains(" UTC, delta ", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, deltas.Count);
        Assert.Contains($"delta {again.DeltaId.ToString("N")[..8]}: suppressed (reviewed): reviewed by U0EXPLAIN", deltas[0]);
        Assert.Contains("churn_probability_now 0.91, churn_probability_reviewed 0.91", deltas[0]);
        Assert.Contains($"delta {card.DeltaId.ToString("N")[..8]}: approved", deltas[1]);
        Assert.Contains("delivered by slack to C0FALLBACK", deltas[1]);
        Assert.Matches(@"reviewed by ada \(U0EXPLAIN\) after \d+ (s|min)\.$", deltas[1]);
        var first = explained.GetProperty("deltas")[1];
        Assert.Equal("delivered", first.GetProperty("delivery").GetProperty("status").GetString());
        Assert.Equal("Reviewed", first.GetProperty("actions")[0].GetProperty("action").GetString());

        // The analyst's CLI prints the same story.
        var cli = await Contextpush.RunAsync("explain", RunningContextPush.PushId, card.AccountKey,
            "--callbacks", System.Url("callbacks").ToString());
        Assert.True(cli.ExitCode == 0, cli.ToString());
        Assert.Equal(story, cli.Output.TrimEnd().Split('\n'));
    }

    [Fact]
    public async Task A_click_sent_twice_and_clicked_again_records_and_publishes_once()
    {
        var (_, value, card) = await shared.DeliverCardAsync();
        var at = DateTimeOffset.UtcNow;

        using var first = SlackInteractionRequest.BlockActions(shared.Interactions, RunningContextPush.SigningSecret, "U0TWICE01", "mark_reviewed", value, "1700000002.000001", at);
        using var replay = SlackInteractionRequest.BlockActions(shared.Interactions, RunningContextPush.SigningSecret, "U0TWICE01", "mark_reviewed", value, "1700000002.000001", at);
        using var again = SlackInteractionRequest.BlockActions(shared.Interactions, RunningContextPush.SigningSecret, "U0TWICE01", "mark_reviewed", value, "1700000002.000001", at.AddSeconds(2));
        using var firstAnswer = await System.Http.SendAsync(first, TestContext.Current.CancellationToken);
        using var replayAnswer = await System.Http.SendAsync(replay, TestContext.Current.CancellationToken);
        using var againAnswer = await System.Http.SendAsync(again, TestContext.Current.CancellationToken);
        await shared.Observer.WaitForAsync<CardActioned>(a => a.DeltaId == card.DeltaId, SharedContextPush.Patience);
        await System.WaitUntilIdleAsync(SharedContextPush.Patience);

        Assert.Equal(HttpStatusCode.OK, firstAnswer.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, replayAnswer.StatusCode);
        Assert.Equal("replayed request", await replayAnswer.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal(HttpStatusCode.OK, againAnswer.StatusCode);
        Assert.Equal(1L, await shared.RecordedAsync(card.DeltaId));
        Assert.Single(shared.Observer.Received<CardActioned>(a => a.DeltaId == card.DeltaId));

        var listed = await System.Http.GetFromJsonAsync<JsonElement>(new Uri(System.Url("callbacks"), $"/actions?delta={card.DeltaId}"), TestContext.Current.CancellationToken);
        var action = Assert.Single(listed.GetProperty("actions").EnumerateArray().ToList());
        Assert.Equal(("Reviewed", "U0TWICE01", "slack"), (action.GetProperty("action").GetString(), action.GetProperty("actorId").GetString(),
            action.GetProperty("channel").GetString()));
    }

    [Fact]
    public async Task Opening_the_account_from_a_card_is_recorded_with_its_time_to_action_and_leaves_the_card_as_it_is()
    {
        var (card, value, delivered) = await shared.DeliverCardAsync();
        var header = Header(card);

        using var click = SlackInteractionRequest.BlockActions(shared.Interactions, RunningContextPush.SigningSecret, "U0OPENER1", "open_crm", value, "1700000004.000001");
        using var answer = await System.Http.SendAsync(click, TestContext.Current.CancellationToken);
        var fed = await shared.Observer.WaitForAsync<CardActioned>(a => a.DeltaId == delivered.DeltaId, SharedContextPush.Patience);
        await System.WaitUntilIdleAsync(SharedContextPush.Patience);

        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Equal((CardAction.Opened, "U0OPENER1"), (fed.Action, fed.ActorId));
        Assert.NotNull(fed.TimeToAction);
        Assert.Equal(1L, await shared.RecordedAsync(delivered.DeltaId));
        Assert.DoesNotContain(System.Slack.Updates, u => Header(u) == header);

        // Callbacks learnt of the card from Delivered, and counts it opened.
        Assert.Equal(1L, await System.ScalarAsync<long>("callbacksdb", "SELECT count(*) FROM adoption_cards WHERE delta_id = @delta", ("delta", delivered.DeltaId)));
        var adoption = await System.Http.GetFromJsonAsync<JsonElement>(new Uri(System.Url("callbacks"), $"/adoption?push={delivered.PushId}"), TestContext.Current.CancellationToken);
        var push = Assert.Single(adoption.GetProperty("pushes").EnumerateArray().ToList());
        Assert.True(push.GetProperty("opened").GetInt64() >= 1, push.ToString());
    }

    [Fact]
    public async Task Snooze_is_recorded_with_its_days_and_fed_back()
    {
        var (_, value, card) = await shared.DeliverCardAsync();

        using var click = SlackInteractionRequest.BlockActions(shared.Interactions, RunningContextPush.SigningSecret, "U0SNOOZE1", "snooze_7d", value, "1700000003.000001");
        using var answer = await System.Http.SendAsync(click, TestContext.Current.CancellationToken);
        var fed = await shared.Observer.WaitForAsync<CardActioned>(a => a.DeltaId == card.DeltaId, SharedContextPush.Patience);

        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Equal((CardAction.Snoozed, 7, "U0SNOOZE1"), (fed.Action, fed.SnoozeDays, fed.ActorId));
        Assert.Equal(7, await System.ScalarAsync<int>("callbacksdb", "SELECT snooze_days FROM card_actions WHERE delta_id = @delta", ("delta", card.DeltaId)));
    }

    public static TheoryData<string, int, string> HostileInputs() => new()
    {
        { "too-large", 400, "body too large" },
        { "no-payload", 400, "missing payload" },
        { "not-json", 400, "malformed payload" },
        { "unknown-action", 400, "unknown action: delete_everything" },
        { "bad-button-value", 400, "malformed button value" },
        { "signature-for-another-body", 401, "invalid signature" },
        { "no-signature", 401, "missing X-Slack-Request-Timestamp or X-Slack-Signature" },
        { "stale-timestamp", 401, "stale or invalid timestamp" },
    };

    [Theory]
    [MemberData(nameof(HostileInputs))]
    public async Task Hostile_input_is_refused_with_a_short_reason_and_changes_nothing(string attack, int status, string reason)
    {
        var (_, value, card) = await shared.DeliverCardAsync();
        using var request = Hostile(attack, value);

        using var answer = await System.Http.SendAsync(request, TestContext.Current.CancellationToken);
        await System.WaitUntilIdleAsync(SharedContextPush.Patience);

        Assert.Equal(status, (int)answer.StatusCode);
        Assert.Equal(reason, await answer.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal(0L, await shared.RecordedAsync(card.DeltaId));
        Assert.Empty(shared.Observer.Received<CardActioned>(a => a.DeltaId == card.DeltaId));
        Assert.DoesNotContain(RunningContextPush.SigningSecret, await File.ReadAllTextAsync(System.LogFile, TestContext.Current.CancellationToken));
    }

    private HttpRequestMessage Hostile(string attack, string value)
    {
        var secret = RunningContextPush.SigningSecret;
        HttpRequestMessage Signed(string body, DateTimeOffset? at = null)
        {
            var timestamp = (at ?? DateTimeOffset.UtcNow).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
            var request = new HttpRequestMessage(HttpMethod.Post, shared.Interactions)
            {
                Content = new StringContent(body, Encoding.UTF8, "application/x-www-form-urlencoded"),
            };
            request.Headers.Add("X-Slack-Request-Timestamp", timestamp);
            request.Headers.Add("X-Slack-Signature", SlackInteractionRequest.Sign(secret, timestamp, body));
            return request;
        }

        switch (attack)
        {
            case "too-large":
                return Signed("payload=" + new string('x', 70_000));
            case "no-payload":
                return Signed("token=abc&team_id=T1");
            case "not-json":
                return Signed("payload=" + Uri.EscapeDataString("{not json"));
            case "unknown-action":
                return SlackInteractionRequest.BlockActions(shared.Interactions, secret, "U0HOSTILE", "delete_everything", value, "1.1");
            case "bad-button-value":
                return SlackInteractionRequest.BlockActions(shared.Interactions, secret, "U0HOSTILE", "mark_reviewed", "garbage", "1.1");
            case "signature-for-another-body":
                var genuine = SlackInteractionRequest.BlockActions(shared.Interactions, secret, "U0HOSTILE", "mark_reviewed", value, "1.1");
                genuine.Content = new StringContent(genuine.Content!.ReadAsStringAsync().Result.Replace("U0HOSTILE", "U0MALLORY"),
                    Encoding.UTF8, "application/x-www-form-urlencoded");
                return genuine;
            case "no-signature":
                var unsigned = SlackInteractionRequest.BlockActions(shared.Interactions, secret, "U0HOSTILE", "mark_reviewed", value, "1.1");
                unsigned.Headers.Remove("X-Slack-Signature");
                return unsigned;
            case "stale-timestamp":
                return SlackInteractionRequest.BlockActions(shared.Interactions, secret, "U0HOSTILE", "mark_reviewed", value, "1.1", DateTimeOffset.UtcNow.AddMinutes(-6));
            default:
                throw new ArgumentOutOfRangeException(nameof(attack), attack, null);
        }
    }

    private static string? Header(JsonObject card) => (string?)card["blocks"]?[0]?["text"]?["text"];
}
