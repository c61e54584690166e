using System.Text.Json.Nodes;
using ContextPush.Contracts;
using ContextPush.Dispatcher.Teams;

namespace ContextPush.UnitTests;

/// <summary>Whatever the data holds, a Teams card stays under what Teams accepts and keeps what a person needs to act.</summary>
public class TeamsLimitsTests
{
    private static readonly Uri Review = new("https://callbacks.example.com/actions/review?sig=abc");
    private static readonly Uri Snooze = new("https://callbacks.example.com/actions/snooze?sig=def");

    private static JsonObject Card(Func<AssembledContext, AssembledContext>? context = null, Func<DeltaDetected, DeltaDetected>? delta = null)
    {
        var d = delta?.Invoke(ContractSerializationTests.Delta()) ?? ContractSerializationTests.Delta();
        var c = context?.Invoke(ContractSerializationTests.Context()) ?? ContractSerializationTests.Context();
        return TeamsCard.Build(new DeliveryApproved { CorrelationId = d.CorrelationId, DeltaId = d.DeltaId, Delta = d, Context = c, ApprovedAt = DateTimeOffset.UnixEpoch },
            Review, Snooze);
    }

    private static JsonObject Content(JsonObject card) => card["attachments"]![0]!["content"]!.AsObject();

    [Fact]
    public void An_ordinary_card_is_sent_as_built()
    {
        var card = Card();

        Assert.True(TeamsLimits.Size(card) < 5_000);
        Assert.Contains(Content(card)["body"]!.AsArray(), b => (bool?)b!["isSubtle"] == true);
    }

    [Fact]
    public void Huge_lines_a_huge_headline_and_thousands_of_metrics_still_fit_with_the_review_and_snooze_links()
    {
        var card = Card(
            c => c with { Headline = "Acme " + new string('h', 50_000), Lines = Enumerable.Range(0, 400).Select(i => $"line {i} " + new string('x', 1_000)).ToList() },
            d => d with { Metrics = Enumerable.Range(0, 3_000).ToDictionary(i => $"metric_{i}", i => (decimal?)i) });

        Assert.True(TeamsLimits.Size(card) <= TeamsLimits.MaxPayloadBytes, $"{TeamsLimits.Size(card)} bytes");
        var content = Content(card);
        Assert.StartsWith("Acme hhh", (string?)content["body"]![0]!["text"]);
        var urls = content["actions"]!.AsArray().Select(a => (string?)a!["url"]).ToList();
        Assert.Contains(Review.ToString(), urls);
        Assert.Contains(Snooze.ToString(), urls);
        Assert.StartsWith("and ", (string?)content["body"]![1]!["facts"]!.AsArray()[^1]!["value"]);
    }

    [Fact]
    public void A_link_too_long_to_send_is_dropped_not_cut()
    {
        var card = Card(c => c with { Links = [new CardLink("Open in CRM", "https://crm.example.com/" + new string('p', 5_000))] });

        var labels = Content(card)["actions"]!.AsArray().Select(a => (string?)a!["title"]).ToList();
        Assert.DoesNotContain("Open in CRM", labels);
        Assert.Contains("Mark as reviewed", labels);
    }
}
