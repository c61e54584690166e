using System.Text;
using ContextPush.Callbacks.Slack;

namespace ContextPush.UnitTests;

public class SlackSignatureTests
{
    // Slack's own published example: https://api.slack.com/authentication/verifying-requests-from-slack
    private const string Secret = "8f742231b10e8888abcd99yyyzzz85a5";
    private const string Timestamp = "1531420618";
    private const string Body = "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c";
    private const string Expected = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503";

    private static readonly DateTimeOffset ThatMoment = DateTimeOffset.FromUnixTimeSeconds(1531420618);

    [Fact]
    public void Slacks_published_example_computes_the_documented_signature() =>
        Assert.Equal(Expected, SlackSignature.Compute(Secret, Timestamp, Encoding.UTF8.GetBytes(Body)));

    [Fact]
    public void Slacks_published_example_verifies_at_its_own_time() =>
        Assert.Null(SlackSignature.Verify(Secret, Timestamp, Expected, Encoding.UTF8.GetBytes(Body), ThatMoment, TimeSpan.FromMinutes(5)));

    [Fact]
    public void A_signature_for_another_body_is_refused() =>
        Assert.Equal("invalid signature",
            SlackSignature.Verify(Secret, Timestamp, Expected, Encoding.UTF8.GetBytes(Body + "&x=1"), ThatMoment, TimeSpan.FromMinutes(5)));

    [Fact]
    public void A_timestamp_more_than_five_minutes_old_is_refused_even_with_a_valid_signature() =>
        Assert.Equal("stale or invalid timestamp",
            SlackSignature.Verify(Secret, Timestamp, Expected, Encoding.UTF8.GetBytes(Body), ThatMoment.AddMinutes(5).AddSeconds(1), TimeSpan.FromMinutes(5)));

    [Fact]
    public void Missing_headers_or_secret_are_refused()
    {
        Assert.NotNull(SlackSignature.Verify(Secret, null, Expected, Encoding.UTF8.GetBytes(Body), ThatMoment, TimeSpan.FromMinutes(5)));
        Assert.NotNull(SlackSignature.Verify(Secret, Timestamp, null, Encoding.UTF8.GetBytes(Body), ThatMoment, TimeSpan.FromMinutes(5)));
        Assert.NotNull(SlackSignature.Verify(null, Timestamp, Expected, Encoding.UTF8.GetBytes(Body), ThatMoment, TimeSpan.FromMinutes(5)));
    }
}
