using ContextPush.Contracts;
using ContextPush.Detector.Detection;

namespace ContextPush.UnitTests;

public class DeltaIdentityTests
{
    private static Dictionary<string, decimal?> Values(decimal churn, decimal? drop) => new() { ["churn_probability"] = churn, ["usage_drop"] = drop };

    [Fact]
    public void Equal_input_gives_the_same_id_whatever_the_order_or_scale_of_the_values()
    {
        var a = DeltaIdentity.Create("churn-risk", "42", DeltaKind.Entered, Values(0.85m, 0.1m));
        var b = DeltaIdentity.Create("churn-risk", "42", DeltaKind.Entered,
            new Dictionary<string, decimal?> { ["usage_drop"] = 0.1000m, ["churn_probability"] = 0.8500m });

        Assert.Equal(a, b);
    }

    [Fact]
    public void A_different_value_push_key_or_kind_gives_a_different_id()
    {
        var original = DeltaIdentity.Create("churn-risk", "42", DeltaKind.Entered, Values(0.85m, 0.1m));

        Assert.NotEqual(original, DeltaIdentity.Create("churn-risk", "42", DeltaKind.Entered, Values(0.86m, 0.1m)));
        Assert.NotEqual(original, DeltaIdentity.Create("churn-risk", "42", DeltaKind.Entered, Values(0.85m, null)));
        Assert.NotEqual(original, DeltaIdentity.Create("churn-risk", "43", DeltaKind.Entered, Values(0.85m, 0.1m)));
        Assert.NotEqual(original, DeltaIdentity.Create("usage-drop", "42", DeltaKind.Entered, Values(0.85m, 0.1m)));
        Assert.NotEqual(original, DeltaIdentity.Create("churn-risk", "42", DeltaKind.Changed, Values(0.85m, 0.1m)));
    }

    [Fact]
    public void The_id_is_a_version_8_rfc_uuid()
    {
        var id = DeltaIdentity.Create("churn-risk", "42", DeltaKind.Entered, Values(0.85m, 0.1m)).ToString();

        Assert.Equal('8', id[14]);
        Assert.Contains(id[19], "89ab");
    }
}
