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

    /// <summary>Updates a task by its Id: 204 No Content; 404 NOT_FOUND or ENTITY_IS_DELETED when it is gone.</summary>
    [Patch("/services/data/{version}/sobjects/Task/{id}")]
    Task<HttpResponseMessage> UpdateTaskAsync(string version, string id, [Authorize("Bearer")] string token, [Body] JsonObject fields, CancellationToken ct);

    /// <summary>Updates fields of an Account: 204 No Content.</summary>
    [Patch("/services/data/{version}/sobjects/Account/{id}")]
    Task<HttpResponseMessage> UpdateAccountAsync(string version, string id, [Authorize("Bearer")] string token, [Body] JsonObject fields, CancellationToken ct);

    /// <summary>A SOQL query; <c>nextRecordsUrl</c> pages go to <see cref="QueryMoreAsync"/>.</summary>
    [Get("/services/data/{version}/query")]
    Task<HttpResponseMessage> QueryAsync(string version, [AliasAs("q")] string soql, [Authorize("Bearer")] string token, CancellationToken ct);

    [Get("/services/data/{version}/query/{locator}")]
    Task<HttpResponseMessage> QueryMoreAsync(string version, string locator, [Authorize("Bearer")] string token, CancellationToken ct);
}
