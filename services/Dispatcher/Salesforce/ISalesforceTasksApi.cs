using System.Text.Json.Nodes;
using Refit;

namespace ContextPush.Dispatcher.Salesforce;

/// <summary>Salesforce's OAuth token endpoint and the sObject Rows by External ID resource, for tasks.</summary>
public interface ISalesforceTasksApi
{
    /// <summary>https://help.salesforce.com/s/articleView?id=sf.remoteaccess_oauth_client_credentials_flow.htm</summary>
    [Post("/services/oauth2/token")]
    Task<HttpResponseMessage> TokenAsync([Body(BodySerializationMethod.UrlEncoded)] Dictionary<string, string> form, CancellationToken ct);

    /// <summary>Upsert: 201 created, 200 (204 before v46) updated, 300 when the external id matches several tasks.</summary>
    [Patch("/services/data/{version}/sobjects/Task/{field}/{externalId}")]
    Task<HttpResponseMessage> UpsertTaskAsync(string version, string field, string externalId, [Authorize("Bearer")] string token, [Body] JsonObject task,
        CancellationToken ct);
}
