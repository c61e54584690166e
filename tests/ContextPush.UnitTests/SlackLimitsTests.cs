using System.Text.Json.Nodes;
using ContextPush.Contracts;
using ContextPush.Dispatcher.Slack;

namespace ContextPush.UnitTests;

/// <summary>Every Block Kit limit with oversized input: the card is cut to fit, never sent to be rejected.</summary>
public class SlackLimitsTests
{
    private static readonly DateTimeOffset SentAt = new(2026, 11, 24, 9, 0, 0, TimeSpan.Zero);

    private static JsonObject Card(Func<AssembledContext, AssembledContext>? context = null, Func<DeltaDetected, DeltaDetected>? delta = null)
    {
        var d = delta?.Invoke(ContractSerializationTests.Delta()) ?? ContractSerializationTests.Delta();
        var c = context?.Invoke(ContractSerializationTests.Context()) ?? ContractSerializationTests.Context();
        return SlackCard.Build(new DeliveryApproved
        {
            CorrelationId = d.CorrelationId, DeltaId = d.DeltaId, Delta = d, Context = c, ApprovedAt = SentAt,
        }, "C1", SentAt);
    }

    private static JsonObject Block(JsonObject card, string type) => card["blocks"]!.AsArray().Single(b => (string?)b!["type"] == type)!.AsObject();

    [Fact]
    public void The_header_is_cut_to_150_characters()
    {
        var header = (string)Block(Card(c => c with { Headline = new string('h', 500) }), "header")["text"]!["text"]!;

        Assert.Equal(SlackLimits.MaxHeaderText, header.Length);
        Assert.EndsWith("…", header);
    }

    [Fact]
    public void A_section_keeps_ten_fields_of_at_most_2000_characters()
    {
        var metrics = Enumerable.Range(0, 25).ToDictionary(i => $"metric_{i}" + (i == 0 ? new string('m', 3000) : ""), i => (decimal?)i);
        var fields = Block(Card(delta: d => d with { Metrics = metrics }), "section")["fields"]!.AsArray();

        Assert.Equal(SlackLimits.MaxSectionFields, fields.Count);
        Assert.All(fields, f => Assert.True(((string)f!["text"]!).Length <= SlackLimits.MaxFieldText));
    }

    [Fact]
    public void A_context_keeps_ten_elements_and_says_how_many_more_there_were()
    {
        var lines = Enumerable.Range(0, 30).Select(i => $"line {i}").ToList();
        var elements = Block(Card(c => c with { Lines = lines }), "context")["elements"]!.AsArray();

        Assert.Equal(SlackLimits.MaxContextElements, elements.Count);
        Assert.Equal("…and 22 more", (string?)elements[^1]!["text"]);
    }

    [Fact]
    public void A_line_over_3000_characters_is_cut_without_splitting_an_escape()
    {
        var line = new string('x', 2990) + "&&&&&&&&&&";
        var text = (string)Block(Card(c => c with { Lines = ["Owner: x", line] }), "context")["elements"]![1]!["text"]!;

        Assert.True(text.Length <= 3000);
        Assert.EndsWith("&amp;…", text);
    }

    [Fact]
    public void Button_labels_are_cut_to_75_and_a_url_over_3000_drops_its_button()
    {
        var links = new List<CardLink> { new(new string('L', 200), "https://crm/1"), new("Too long", "https://crm/" + new string('u', 3000)) };
        var buttons = Block(Card(c => c with { Links = links }), "actions")["elements"]!.AsArray();

        Assert.Equal(SlackLimits.MaxButtonText, ((string)buttons[0]!["text"]!["text"]!).Length);
        Assert.DoesNotContain(buttons, b => ((string?)b!["url"])?.Length > SlackLimits.MaxUrl);
        Assert.Equal(["open_crm", "mark_reviewed", "snooze_7d"], buttons.Select(b => (string?)b!["action_id"]));
    }

    [Fact]
    public void A_button_value_over_2000_drops_the_interactive_buttons_rather_than_sending_a_broken_value()
    {
        var buttons = Block(Card(delta: d => d with { AccountKey = new string('k', 2500) }), "actions")["elements"]!.AsArray();

        Assert.Equal(["open_crm"], buttons.Select(b => (string?)b!["action_id"]));
        Assert.Null(buttons[0]!["value"]); // the link still opens; its click goes unrecorded
    }

    [Fact]
    public void A_very_long_card_is_cut_to_the_text_budget_context_first_and_the_headline_kept()
    {
        var lines = Enumerable.Range(0, 9).Select(i => $"Recent tickets: {new string((char)('a' + i), 2900)}").ToList();
        var card = Card(c => c with { Lines = lines, Headline = "Acme: churn up" });
        var texts = card["blocks"]!.AsArray().SelectMany(b => Flatten(b!)).Sum(t => t.Length);

        Assert.True(texts <= SlackLimits.TextBudget, $"{texts} characters of text");
        Assert.Equal("Acme: churn up", (string?)Block(card, "header")["text"]!["text"]);
    }

    [Fact]
    public void More_than_50_blocks_are_reduced_to_50_keeping_the_header_and_actions()
    {
        var blocks = new JsonArray { new JsonObject { ["type"] = "header", ["text"] = new JsonObject { ["type"] = "plain_text", ["text"] = "h" } } };
        for (var i = 0; i < 60; i++)
        {
            blocks.Add(new JsonObject { ["type"] = "context", ["elements"] = new JsonArray { new JsonObject { ["type"] = "mrkdwn", ["text"] = $"c{i}" } } });
        }

        blocks.Add(new JsonObject { ["type"] = "actions", ["elements"] = new JsonArray() });
        var card = SlackLimits.Enforce(new JsonObject { ["text"] = "t", ["blocks"] = blocks });

        Assert.Equal(SlackLimits.MaxBlocks, card["blocks"]!.AsArray().Count);
        Assert.Equal("header", (string?)card["blocks"]![0]!["type"]);
        Assert.Equal("actions", (string?)card["blocks"]!.AsArray()[^1]!["type"]);
    }

    [Fact]
    public void Truncation_never_splits_a_mention()
    {
        var text = SlackText.Truncate("Owner: <@U0123456789>", 12);

        Assert.Equal("Owner: …", text);
    }

    private static IEnumerable<string> Flatten(JsonNode node) => node switch
    {
        JsonObject o when o["text"] is JsonValue v && v.TryGetValue<string>(out var s) => [s],
        JsonObject o => o.Select(p => p.Value).Where(v => v is not null).SelectMany(v => Flatten(v!)),
        JsonArray a => a.Where(n => n is not null).SelectMany(n => Flatten(n!)),
        _ => [],
    };

    [Fact]
    public void An_edited_card_keeps_the_block_limit_and_its_status_line_however_full_the_original()
    {
        var full = Card(c => c with { Lines = Enumerable.Range(0, 10).Select(i => $"line {i}").ToList() });
        var blocks = full["blocks"]!.AsArray();
        while (blocks.Count < SlackLimits.MaxBlocks)
        {
            blocks.Insert(1, new JsonObject { ["type"] = "context", ["elements"] = new JsonArray { new JsonObject { ["type"] = "mrkdwn", ["text"] = new string('c', 900) } } });
        }

        var acted = SlackCard.Acted(full, new CardActioned
        {
            CorrelationId = Guid.NewGuid(), DeltaId = Guid.NewGuid(), PushId = "p", AccountKey = "a", Action = CardAction.Reviewed,
            ActorId = "U0REVIEWER", ActedAt = SentAt, Channel = "slack",
        });

        var edited = acted["blocks"]!.AsArray();
        Assert.True(edited.Count <= SlackLimits.MaxBlocks, $"{edited.Count} blocks");
        var status = Assert.Single(edited, b => (string?)b!["block_id"] == SlackCard.StatusBlockId)!;
        Assert.StartsWith(":white_check_mark: Reviewed by <@U0REVIEWER>", (string?)status["elements"]![0]!["text"]);
        Assert.Equal("header", (string?)edited[0]!["type"]);
    }

    [Fact]
    public void A_card_resolved_with_an_oversized_headline_stays_within_every_limit()
    {
        var d = ContractSerializationTests.Delta();
        var resolution = new DeliveryApproved
        {
            CorrelationId = d.CorrelationId, DeltaId = d.DeltaId, Delta = d with { Kind = DeltaKind.Left }, ApprovedAt = SentAt,
            Context = ContractSerializationTests.Context() with { Headline = new string('r', 20_000) },
        };

        var resolved = SlackCard.Resolved(Card(), resolution);

        Assert.True(((string)resolved["text"]!).Length <= SlackLimits.MaxFallbackText);
        var status = (string)resolved["blocks"]!.AsArray().Single(b => (string?)b!["block_id"] == SlackCard.StatusBlockId)!["elements"]![0]!["text"]!;
        Assert.True(status.Length <= SlackLimits.MaxSectionText);
        Assert.StartsWith(":large_green_circle: Resolved: rrr", status);
        Assert.DoesNotContain(resolved["blocks"]!.AsArray(), b => (string?)b!["type"] == "actions");
    }
}
