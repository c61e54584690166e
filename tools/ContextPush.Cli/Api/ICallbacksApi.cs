using System.Text.Json;
using Refit;

namespace ContextPush.Cli.Api;

/// <summary>Callbacks' GET /explain (<c>services/Callbacks/Explain/ExplainEndpoints.cs</c>).</summary>
public interface ICallbacksApi
{
    [Get("/explain")]
    Task<IApiResponse<JsonElement>> ExplainAsync([Query] string push, [Query] string account, CancellationToken ct);
}
