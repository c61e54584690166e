using System.Text.Json;
using ContextPush.Contracts;
using ContextPush.Dispatcher.Slack;

namespace ContextPush.UnitTests;

public class SlackCardTests
{
    private static readonly DateTimeOffset SentAt = new(2026, 11, 24, 9, 0, 0, TimeSpan.Zero);

    private static DeliveryApproved Approved() => new()
    {
        CorrelationId = ContractSerializationTests.Delta().CorrelationId,
        DeltaId = ContractSerializationTests.Delta().DeltaId,
        Delta = ContractSerializationTests.Delta(),
        Context = ContractSerializationTests.Context() with
        {
            Lines = ["Owner: Ada Lovelace", "Recent tickets: <Acme & *Sons*> cannot log in"],
        },
        ApprovedAt = DateTimeOffset.UnixEpoch,
    };

    [Fact]
    public void The_card_has_header_numbers_context_and_actions_in_that_order()
    {
        var card = SlackCard.Build(Approved(), "C024BE91L", SentAt);
        var blocks = card["blocks"]!.AsArray();

        Assert.Equal("C024BE91L", (string?)card["channel"]);
        Assert.Equal(["header", "section", "context", "actions"], blocks.Select(b => (string?)b!["type"]));
        Assert.Equal("Acme: churn probability 0.85 (was 0.61)", (string?)blocks[0]!["text"]!["text"]);
        Assert.Equal("*Churn Probability*\n0.8512 (was 0.61, up)", (string?)blocks[1]!["fields"]![0]!["text"]);
        Assert.Equal("Owner: <@U123ABC>", (string?)blocks[2]!["elements"]![0]!["text"]);
    }

    [Fact]
    public void Data_is_escaped_for_mrkdwn_so_it_cannot_break_the_card()
    {
        var context = SlackCard.Build(Approved(), "C1", SentAt)["blocks"]![2]!["elements"]![1]!;

        // Entities for &, < and >; a zero-width space after * so the name does not turn bold.
        Assert.Equal("Recent tickets: &lt;Acme &amp; *\u200BSons*\u200B&gt; cannot log in", (string?)context["text"]);
    }

    [Fact]
    public void Buttons_open_the_crm_mark_the_delta_reviewed_or_snooze_it()
    {
        var buttons = SlackCard.Build(Approved(), "C1", SentAt)["blocks"]![3]!["elements"]!.AsArray();

        Assert.Equal("https://example.my.salesforce.com/001", (string?)buttons[0]!["url"]);
        Assert.Equal("open_crm", (string?)buttons[0]!["action_id"]);
        Assert.Equal(["open_crm", "mark_reviewed", "snooze_7d"], buttons.Select(b => (string?)b!["action_id"]));
        var value = JsonSerializer.Deserialize<CardButtonValue>((string)buttons[1]!["value"]!);
        Assert.Equal(new CardButtonValue(Approved().DeltaId, Approved().CorrelationId, "churn-risk", "42", SentAt.ToUnixTimeSeconds()), value);
        Assert.Equal((string?)buttons[1]!["value"], (string?)buttons[2]!["value"]);
        // The URL button carries its card too: Slack sends its click, and Callbacks records the card opened.
        Assert.Equal((string?)buttons[1]!["value"], (string?)buttons[0]!["value"]);
    }

    [Fact]
    public void A_card_acted_on_says_who_did_what_and_loses_its_buttons()
    {
        var card = SlackCard.Build(Approved(), "C1", SentAt);
        var action = new CardActioned
        {
            CorrelationId = Approved().CorrelationId, DeltaId = Approved().DeltaId, PushId = "churn-risk", AccountKey = "42",
            Action = CardAction.Snoozed, SnoozeDays = 7, ActorId = "U0GRACE01", ActedAt = SentAt.AddHours(2), Channel = "slack",
        };

        var acted = SlackCard.Acted(card, action);
        var blocks = acted["blocks"]!.AsArray();

        Assert.DoesNotContain(blocks, b => (string?)b!["type"] == "actions");
        Assert.Equal(":white_check_mark: Snoozed for 7 days by <@U0GRACE01> <!date^1795518000^{date_short_pretty} at {time}|2026-11-24 11:00:00Z>",
            (string?)blocks[^1]!["elements"]![0]!["text"]);
        Assert.Equal(4, card["blocks"]!.AsArray().Count); // the original is left untouched
    }

    [Fact]
    public void A_headline_over_150_characters_is_cut_with_an_ellipsis()
    {
        var approved = Approved() with { Context = Approved().Context with { Headline = new string('x', 400) } };

        var header = (string)SlackCard.Build(approved, "C1", SentAt)["blocks"]![0]!["text"]!["text"]!;

        Assert.Equal(150, header.Length);
        Assert.EndsWith("…", header);
    }
}
