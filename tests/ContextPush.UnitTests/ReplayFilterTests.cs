using System.Text;
using ContextPush.ServiceDefaults.Messaging;

namespace ContextPush.UnitTests;

/// <summary>Which parked messages a replay by push or DeltaId moves, whatever the message carries the delta in.</summary>
public class ReplayFilterTests
{
    private static readonly Guid Delta = Guid.Parse("0b6f6f0e-5a56-4f0e-9d55-2f1f7a1e0c11");

    [Theory]
    // A DeliveryApproved: the id on the message, the push on its delta.
    [InlineData("""{"message":{"deltaId":"0b6f6f0e-5a56-4f0e-9d55-2f1f7a1e0c11","delta":{"pushId":"churn-risk"}}}""")]
    // The Dispatcher's CrmTaskDue: the approval whole, inside.
    [InlineData("""{"message":{"approved":{"deltaId":"0b6f6f0e-5a56-4f0e-9d55-2f1f7a1e0c11","delta":{"pushId":"churn-risk"}}}}""")]
    public void A_parked_delta_is_found_by_its_push_and_its_id_and_not_by_others(string envelope)
    {
        var body = Encoding.UTF8.GetBytes(envelope);

        Assert.True(new ReplayFilter("churn-risk", null).Matches(body));
        Assert.True(new ReplayFilter(null, Delta).Matches(body));
        Assert.False(new ReplayFilter("expansion", null).Matches(body));
        Assert.False(new ReplayFilter(null, Guid.NewGuid()).Matches(body));
    }
}
