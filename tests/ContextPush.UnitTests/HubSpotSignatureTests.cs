using System.Security.Cryptography;
using System.Text;
using ContextPush.Callbacks.HubSpot;

namespace ContextPush.UnitTests;

/// <summary>HubSpot's v3 webhook signature, checked against the documented recipe computed here by hand.</summary>
public class HubSpotSignatureTests
{
    private const string Secret = "yyyyyyyy-yyyy-yyyy-yyyy-yyyyyyyyyyyy";
    private const string Body = """[{"eventId":1,"subscriptionId":12345,"portalId":62515,"occurredAt":1564113600000,"subscriptionType":"object.propertyChange","objectTypeId":"0-27","objectId":123,"propertyName":"hs_task_status","propertyValue":"COMPLETED"}]""";
    private const string Timestamp = "1764579600000";
    private static readonly DateTimeOffset ThatMoment = DateTimeOffset.FromUnixTimeMilliseconds(1764579600000);

    /// <summary>method + URI (reserved characters decoded) + body + timestamp, HMAC-SHA256 with the client secret, base64.</summary>
    private static readonly string Expected = Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret),
        Encoding.UTF8.GetBytes("POSThttps://contextpush.example.com/hubspot/webhooks?app=c:p@1" + Body + Timestamp)));

    [Fact]
    public void A_request_signed_as_documented_verifies_with_its_URI_as_sent_percent_encoded() =>
        Assert.Null(HubSpotSignature.Verify(Secret, "POST", "https://contextpush.example.com/hubspot/webhooks?app=c%3Ap%401", Encoding.UTF8.GetBytes(Body),
            Timestamp, Expected, ThatMoment.AddMinutes(4), TimeSpan.FromMinutes(5)));

    [Fact]
    public void Another_body_another_URI_or_another_secret_is_refused()
    {
        Assert.Equal("invalid signature", HubSpotSignature.Verify(Secret, "POST", "https://contextpush.example.com/hubspot/webhooks?app=c:p@1",
            Encoding.UTF8.GetBytes(Body.Replace("COMPLETED", "NOT_STARTED")), Timestamp, Expected, ThatMoment, TimeSpan.FromMinutes(5)));
        Assert.Equal("invalid signature", HubSpotSignature.Verify(Secret, "POST", "https://evil.example.com/hubspot/webhooks?app=c:p@1",
            Encoding.UTF8.GetBytes(Body), Timestamp, Expected, ThatMoment, TimeSpan.FromMinutes(5)));
        Assert.Equal("invalid signature", HubSpotSignature.Verify("another-secret", "POST", "https://contextpush.example.com/hubspot/webhooks?app=c:p@1",
            Encoding.UTF8.GetBytes(Body), Timestamp, Expected, ThatMoment, TimeSpan.FromMinutes(5)));
    }

    [Fact]
    public void A_request_older_than_five_minutes_or_without_its_headers_or_secret_is_refused()
    {
        Assert.Equal("stale or invalid timestamp", HubSpotSignature.Verify(Secret, "POST", "https://contextpush.example.com/hubspot/webhooks?app=c:p@1",
            Encoding.UTF8.GetBytes(Body), Timestamp, Expected, ThatMoment.AddMinutes(5).AddSeconds(1), TimeSpan.FromMinutes(5)));
        Assert.NotNull(HubSpotSignature.Verify(Secret, "POST", "https://x/", Encoding.UTF8.GetBytes(Body), null, Expected, ThatMoment, TimeSpan.FromMinutes(5)));
        Assert.NotNull(HubSpotSignature.Verify(Secret, "POST", "https://x/", Encoding.UTF8.GetBytes(Body), Timestamp, null, ThatMoment, TimeSpan.FromMinutes(5)));
        Assert.Equal("client secret not configured",
            HubSpotSignature.Verify(null, "POST", "https://x/", Encoding.UTF8.GetBytes(Body), Timestamp, Expected, ThatMoment, TimeSpan.FromMinutes(5)));
    }
}
