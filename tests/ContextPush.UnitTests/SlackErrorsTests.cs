using ContextPush.Dispatcher.Delivery;
using ContextPush.Dispatcher.Slack;

namespace ContextPush.UnitTests;

public class SlackErrorsTests
{
    [Theory]
    [InlineData("channel_not_found")]
    [InlineData("not_in_channel")]
    [InlineData("invalid_auth")]
    [InlineData("token_revoked")]
    [InlineData("is_archived")]
    public void Errors_retrying_cannot_fix_are_recorded_as_refusals(string error)
    {
        var exception = Assert.IsType<DeliveryRejectedException>(SlackErrors.ToException("chat.postMessage", "C1", error));

        Assert.Equal(("slack", "C1", error), (exception.Channel, exception.Destination, exception.PlatformError));
    }

    [Theory]
    [InlineData("ratelimited")]
    [InlineData("internal_error")]
    [InlineData("fatal_error")]
    [InlineData(null)]
    public void Other_errors_are_retried(string? error) =>
        Assert.IsType<SlackApiException>(SlackErrors.ToException("chat.postMessage", "C1", error));
}
