using ContextPush.Callbacks.Adoption;
using ContextPush.Contracts;

namespace ContextPush.UnitTests;

/// <summary>The tolerance suggestion on a history worked out by hand.</summary>
public sealed class ToleranceSuggesterTests
{
    private static readonly MetricTolerance Tolerance = new(0.05m, null);

    private static IReadOnlyList<MetricMove> Change(decimal churnBefore, decimal churnNow, decimal usageBefore = 0.1m, decimal usageNow = 0.1m) =>
    [
        new("churn_probability", churnBefore, churnNow, Tolerance),
        new("usage_drop", usageBefore, usageNow, Tolerance),
    ];

    [Fact]
    public void The_suggestion_keeps_every_change_acted_on_that_the_metric_alone_made_and_drops_the_most_ignored()
    {
        // Acted on: churn moved 0.20, 0.18 and 0.15 (relative 0.40, 0.45, 0.50); one more that usage made (churn
        // moved 0.01, within its tolerance). Ignored: churn alone moved 0.06 … 0.12 and 0.16 from 0.5 (relative
        // 0.12 … 0.32); usage alone moved 0.1 twice. Absolute: under 0.15 is 0.14, which drops 7 of 10; relative:
        // under 0.40 is 0.39, which drops all 8 churn changes: 8 of 10 ignored.
        IReadOnlyList<IReadOnlyList<MetricMove>> acted =
        [
            Change(0.50m, 0.70m), Change(0.40m, 0.58m), Change(0.30m, 0.45m), Change(0.50m, 0.51m, 0.1m, 0.3m),
        ];
        IReadOnlyList<IReadOnlyList<MetricMove>> ignored =
        [
            .. new[] { 0.06m, 0.07m, 0.08m, 0.09m, 0.10m, 0.11m, 0.12m, 0.16m }.Select(move => Change(0.5m, 0.5m + move)),
            Change(0.5m, 0.5m, 0.1m, 0.2m), Change(0.5m, 0.5m, 0.1m, 0.2m),
        ];

        var suggestion = ToleranceSuggester.Suggest(acted, ignored);

        Assert.Equal(new ToleranceSuggestion("churn_probability", "relative_tolerance", 0.39m, 3, 8, 10), suggestion);
    }

    [Fact]
    public void No_suggestion_when_the_smallest_move_acted_on_is_below_every_ignored_one()
    {
        IReadOnlyList<IReadOnlyList<MetricMove>> acted = [Change(0.50m, 0.56m)];
        IReadOnlyList<IReadOnlyList<MetricMove>> ignored = [.. new[] { 0.07m, 0.09m, 0.12m }.Select(move => Change(0.5m, 0.5m + move))];

        Assert.Null(ToleranceSuggester.Suggest(acted, ignored));
    }

    [Fact]
    public void A_change_another_metric_also_made_cannot_be_dropped_by_this_metrics_tolerance()
    {
        // Both metrics moved beyond tolerance in each ignored change: no single tolerance drops any.
        IReadOnlyList<IReadOnlyList<MetricMove>> ignored = [Change(0.5m, 0.6m, 0.1m, 0.3m), Change(0.5m, 0.6m, 0.1m, 0.3m)];

        Assert.Null(ToleranceSuggester.Suggest([Change(0.5m, 0.9m)], ignored));
    }

    [Theory]
    [InlineData("0.15", "0.14")]
    [InlineData("0.123", "0.12")]
    [InlineData("2", "1.9")]
    [InlineData("0.0071", "0.007")]
    public void Round_below_keeps_two_significant_digits_strictly_under(string value, string expected) =>
        Assert.Equal(decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture),
            ToleranceSuggester.RoundBelow(decimal.Parse(value, System.Globalization.CultureInfo.InvariantCulture)));

    [Fact]
    public void A_move_counts_by_the_detectors_rule()
    {
        Assert.False(new MetricMove("m", 1m, 1.04m, new MetricTolerance(0.05m, null)).Moved);
        Assert.True(new MetricMove("m", 1m, 1.06m, new MetricTolerance(0.05m, null)).Moved);
        Assert.True(new MetricMove("m", 1m, 1.06m, new MetricTolerance(0.5m, 0.05m)).Moved);
        Assert.True(new MetricMove("m", null, 1m, new MetricTolerance(0.5m, null)).Moved);
        Assert.True(new MetricMove("m", 1m, 1.0001m, null).Moved);
        Assert.False(new MetricMove("m", null, null, null).Moved);
    }
}
