
namespace ContextPush.AppHost.Servers;

internal static class LoopbackEndpoints
{
    /// <summary>
    /// An endpoint the server itself listens on, at a port chosen up front: not proxied, because the
    /// orchestrator's proxy would only add a hop, and the server is told the port in its own configuration.
    /// </summary>
    public static IResourceBuilder<T> WithLoopbackEndpoint<T>(this IResourceBuilder<T> builder, string name, string scheme, int port)
        where T : IResourceWithEndpoints =>
        builder.WithEndpoint(port: port, targetPort: port, scheme: scheme, name: name, isProxied: false)
            .WithEndpoint(name, endpoint => endpoint.TargetHost = "127.0.0.1");
}
