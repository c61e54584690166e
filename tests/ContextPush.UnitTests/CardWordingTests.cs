using ContextPush.Assembler.Context;
using ContextPush.Contracts;
using ContextPush.Wording;

namespace ContextPush.UnitTests;

/// <summary>The Assembler renders a card's wording only in the formats its channel can show.</summary>
public class CardWordingTests
{
    [Theory]
    [InlineData(null, new[] { "slack" })]
    [InlineData("slack", new[] { "slack" })]
    [InlineData("console", new[] { "slack" })]
    [InlineData("teams", new[] { "slack", "teams" })]
    [InlineData("email", new[] { "html", "slack" })]
    public void Each_channel_gets_its_own_format_and_Slack_for_the_preview(string? channel, string[] formats)
    {
        var delta = ContractSerializationTests.Delta() with { PushSettings = new PushSettings { Delivery = new DeliverySettings { Channel = channel } } };

        var result = new CardWording().Render(new CardFacts(delta, "Acme", null, null, [], []));

        Assert.Equal(formats, result.Formatted.Keys.Order(StringComparer.Ordinal));
        Assert.NotEmpty(result.Text.Headline);
        Assert.All(formats, f => Assert.Equal(result.Text.Lines.Count, result.Formatted[f].Count));
    }
}
