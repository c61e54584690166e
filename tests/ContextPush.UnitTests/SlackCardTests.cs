using System.Text.Json;
using ContextPush.Contracts;
using ContextPush.Dispatcher.Slack;

namespace ContextPush.UnitTests;

public class SlackCardTests
{
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
        var card = SlackCard.Build(Approved(), "C024BE91L");
        var blocks = card["blocks"]!.AsArray();

        Assert.Equal("C024BE91L", (string?)card["channel"]);
        Assert.Equal(["header", "section", "context", "actions"], blocks.Select(b => (string?)b!["type"]));
        Assert.Equal("Acme: churn probability 0.85 (was 0.61)", (string?)blocks[0]!["text"]!["text"]);
        Assert.Equal("*Churn Probability*\n0.8512 (was 0.61)", (string?)blocks[1]!["fields"]![0]!["text"]);
        Assert.Equal("Owner: <@U123ABC>", (string?)blocks[2]!["elements"]![0]!["text"]);
    }

    [Fact]
    public void Data_is_escaped_for_mrkdwn_so_it_cannot_break_the_card()
    {
        var context = SlackCard.Build(Approved(), "C1")["blocks"]![2]!["elements"]![1]!;

        Assert.Equal("Recent tickets: &lt;Acme &amp; *Sons*&gt; cannot log in", (string?)context["text"]);
    }

    [Fact]
    public void Buttons_open_the_crm_and_mark_the_delta_reviewed()
    {
        var buttons = SlackCard.Build(Approved(), "C1")["blocks"]![3]!["elements"]!.AsArray();

        Assert.Equal("https://example.my.salesforce.com/001", (string?)buttons[0]!["url"]);
        Assert.Equal("open_crm", (string?)buttons[0]!["action_id"]);
        Assert.Equal("mark_reviewed", (string?)buttons[1]!["action_id"]);
        var value = JsonSerializer.Deserialize<CardButtonValue>((string)buttons[1]!["value"]!);
        Assert.Equal(new CardButtonValue(Approved().DeltaId, Approved().CorrelationId, "churn-risk", "42"), value);
    }

    [Fact]
    public void A_headline_over_150_characters_is_cut_with_an_ellipsis()
    {
        var approved = Approved() with { Context = Approved().Context with { Headline = new string('x', 400) } };

        var header = (string)SlackCard.Build(approved, "C1")["blocks"]![0]!["text"]!["text"]!;

        Assert.Equal(150, header.Length);
        Assert.EndsWith("…", header);
    }
}
