using ContextPush.Contracts;
using ContextPush.Wording;

namespace ContextPush.UnitTests;

public class MetricTextTests
{
    [Theory]
    [InlineData("percent", null, null, 0.9133, "91.3%")]
    [InlineData("percent", 0, null, 0.9133, "91%")]
    [InlineData("percent", 2, null, 0.0099, "0.99%")]
    [InlineData("number", null, null, 1234.5, "1,234.50")]
    [InlineData("number", 0, null, 1234.5, "1,235")]
    [InlineData("integer", null, null, 41.5, "42")]
    [InlineData("currency", null, null, 12400, "$12,400.00")]
    [InlineData("currency", 0, "EUR", -950.4, "-€950")]
    [InlineData("currency", null, "CHF", 10, "10.00 CHF")]
    [InlineData(null, null, null, 0.91330, "0.9133")]
    public void A_value_reads_as_its_push_declares(string? style, int? decimals, string? currency, double value, string expected)
    {
        var format = style is null ? null : new MetricFormat(style, decimals, currency);

        Assert.Equal(expected, MetricText.Format((decimal)value, format));
    }

    [Fact]
    public void A_change_shows_both_values_and_its_direction()
    {
        var percent = new MetricFormat("percent");

        Assert.Equal("20.3% (was 9.8%, up)", MetricText.Describe(0.203m, 0.098m, percent));
        Assert.Equal("9.8% (was 20.3%, down)", MetricText.Describe(0.098m, 0.203m, percent));
        Assert.Equal("20.3%", MetricText.Describe(0.203m, null, percent));
        Assert.Equal("n/a (was 20.3%)", MetricText.Describe(null, 0.203m, percent));
    }

    [Fact]
    public void A_move_too_small_to_show_is_not_called_a_change()
    {
        Assert.Equal("20.3%", MetricText.Describe(0.20301m, 0.20299m, new MetricFormat("percent")));
    }
}
