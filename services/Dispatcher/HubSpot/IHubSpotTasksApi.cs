using System.Text.Json.Nodes;
using Refit;

namespace ContextPush.Dispatcher.HubSpot;

/// <summary>HubSpot's CRM v3 tasks and v4 associations, as the Dispatcher writes and reads its tasks.</summary>
public interface IHubSpotTasksApi
{
    /// <summary>
    /// https://developers.hubspot.com/docs/api-reference/crm-tasks-v3 (batch upsert): create or update by a
    /// unique property value; each result says whether it was <c>new</c>.
    /// </summary>
    [Post("/crm/v3/objects/tasks/batch/upsert")]
    Task<HttpResponseMessage> UpsertTasksAsync([Authorize("Bearer")] string token, [Body] JsonObject batch, CancellationToken ct);

    /// <summary>The default association of a task with a company (v4); repeating it changes nothing.</summary>
    [Put("/crm/v4/objects/tasks/{taskId}/associations/default/companies/{companyId}")]
    Task<HttpResponseMessage> AssociateWithCompanyAsync(string taskId, string companyId, [Authorize("Bearer")] string token, CancellationToken ct);

    [Patch("/crm/v3/objects/tasks/{taskId}")]
    Task<HttpResponseMessage> UpdateTaskAsync(string taskId, [Authorize("Bearer")] string token, [Body] JsonObject update, CancellationToken ct);

    [Patch("/crm/v3/objects/companies/{companyId}")]
    Task<HttpResponseMessage> UpdateCompanyAsync(string companyId, [Authorize("Bearer")] string token, [Body] JsonObject update, CancellationToken ct);

    /// <summary>The CRM search: filters, sorts, up to 200 per page continued with <c>after</c>.</summary>
    [Post("/crm/v3/objects/tasks/search")]
    Task<HttpResponseMessage> SearchTasksAsync([Authorize("Bearer")] string token, [Body] JsonObject search, CancellationToken ct);
}
