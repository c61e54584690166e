using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using ContextPush.Contracts;

namespace ContextPush.EndToEndTests.Callbacks;

/// <summary>HubSpot's task webhooks against the real Callbacks: only a genuine, fresh request nudges the Dispatcher.</summary>
[Collection(DefaultSystem.Name)]
public sealed class HubSpotWebhookTests(SharedContextPush shared)
{
    private const string Events = """
        [{"eventId":101,"subscriptionId":7,"portalId":62515,"appId":54321,"occurredAt":1764579600000,"subscriptionType":"object.propertyChange",
          "objectTypeId":"0-27","objectId":{0},"propertyName":"hs_task_status","propertyValue":"COMPLETED","changeSource":"CRM_UI"},
         {"eventId":102,"subscriptionId":8,"portalId":62515,"appId":54321,"occurredAt":1764579600000,"subscriptionType":"object.propertyChange",
          "objectTypeId":"0-1","objectId":77,"propertyName":"email","propertyValue":"a@example.com","changeSource":"CRM_UI"}]
        """;

    [Fact]
    public async Task A_signed_task_change_is_passed_on_to_the_Dispatcher_and_a_forged_or_stale_one_is_refused_and_passes_nothing_on()
    {
        var ct = TestContext.Current.CancellationToken;
        var url = new Uri(shared.System.Url("callbacks"), "/hubspot/webhooks?portalId=62515");
        var now = DateTimeOffset.UtcNow;

        using var forged = await shared.System.Http.SendAsync(Signed(url, Body(9001), now, secret: "not-the-apps-secret"), ct);
        using var stale = await shared.System.Http.SendAsync(Signed(url, Body(9002), now.AddMinutes(-6)), ct);
        using var genuine = await shared.System.Http.SendAsync(Signed(url, Body(9003), now), ct);
        var changed = await shared.Observer.WaitForAsync<CrmTasksChanged>(c => c.TaskIds.Contains("9003"), SharedContextPush.Patience);

        Assert.Equal((HttpStatusCode.Unauthorized, "invalid signature"), (forged.StatusCode, await forged.Content.ReadAsStringAsync(ct)));
        Assert.Equal((HttpStatusCode.Unauthorized, "stale or invalid timestamp"), (stale.StatusCode, await stale.Content.ReadAsStringAsync(ct)));
        Assert.Equal(HttpStatusCode.NoContent, genuine.StatusCode);
        Assert.Equal("hubspot", changed.System);
        Assert.Equal(["9003"], changed.TaskIds);
        Assert.Empty(shared.Observer.Received<CrmTasksChanged>(c => c.TaskIds.Contains("9001") || c.TaskIds.Contains("9002")));
    }

    private static string Body(long taskId) => Events.Replace("{0}", taskId.ToString(CultureInfo.InvariantCulture));

    private static HttpRequestMessage Signed(Uri url, string body, DateTimeOffset at, string secret = RunningContextPush.HubSpotClientSecret)
    {
        var timestamp = at.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("X-HubSpot-Request-Timestamp", timestamp);
        // As HubSpot signs: base64 HMAC-SHA256 of method + URI + body + timestamp, keyed with the app's client secret.
        var signature = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes("POST" + url + body + timestamp));
        request.Headers.Add("X-HubSpot-Signature-v3", Convert.ToBase64String(signature));
        return request;
    }
}
