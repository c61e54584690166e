using System.Text.Json;
using Refit;

namespace ContextPush.Cli.Api;

/// <summary>Every service's admin API for parked messages (<c>shared/ServiceDefaults/Messaging/ErrorQueueEndpoints.cs</c>).</summary>
public interface IAdminApi
{
    [Post("/admin/error-queues/replay")]
    Task<IApiResponse<JsonElement>> ReplayAsync([Query] string? queue, [Query] string? push, [Query] string? deltaId,
        [Query] bool? dryRun, [Query] int? limit, CancellationToken ct);
}
