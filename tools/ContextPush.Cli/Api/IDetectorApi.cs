using System.Text.Json;
using Refit;

namespace ContextPush.Cli.Api;

/// <summary>The Detector's HTTP API, as <c>services/Detector/Pushes/PushEndpoints.cs</c> serves it.</summary>
public interface IDetectorApi
{
    [Post("/pushes/{id}/preview")]
    Task<IApiResponse<JsonElement>> PreviewAsync(string id, [Query] int? limit, CancellationToken ct);

    [Post("/pushes/{id}/runs")]
    Task<IApiResponse<JsonElement>> StartRunAsync(string id, CancellationToken ct);

    [Get("/pushes/{id}/runs/{runId}")]
    Task<IApiResponse<JsonElement>> RunAsync(string id, Guid runId, CancellationToken ct);
}
