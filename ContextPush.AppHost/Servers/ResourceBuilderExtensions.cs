using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ContextPush.AppHost.Servers;

internal static class ResourceBuilderExtensions
{
    /// <summary>Whether the user gave <c>ConnectionStrings__{name}</c>: then that server or database is used as it is, and nothing is started for it.</summary>
    public static bool IsGiven(this IDistributedApplicationBuilder builder, string name) =>
        builder.Configuration.GetConnectionString(name) is { Length: > 0 };

    /// <summary>A health check of the resource's own, which WaitFor honours and the dashboard shows.</summary>
    public static IResourceBuilder<T> WithHealthCheck<T>(this IResourceBuilder<T> resource, string name, Func<CancellationToken, Task<HealthCheckResult>> check)
        where T : IResource
    {
        resource.ApplicationBuilder.Services.AddHealthChecks().AddAsyncCheck(name, check);
        return resource.WithHealthCheck(name);
    }
}
