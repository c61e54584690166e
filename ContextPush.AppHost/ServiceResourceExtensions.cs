
namespace ContextPush.AppHost;

/// <summary>What every ContextPush service gets in the model, and the extras on-call uses from the dashboard.</summary>
internal static class ServiceResourceExtensions
{
    /// <summary>An http endpoint, /health for WaitFor (the same path Kubernetes' readiness probe uses), and its replica count.</summary>
    public static IResourceBuilder<ProjectResource> AsService(this IResourceBuilder<ProjectResource> service, AppHostOptions options) =>
        service.WithHttpEndpoint()
            .WithHttpHealthCheck("/health")
            .WithReplicas(options.ReplicasOf(service.Resource.Name));

    /// <summary>"Run pushes now": every valid push runs at once, as the API's POST /pushes/runs does.</summary>
    public static IResourceBuilder<ProjectResource> WithRunPushesCommand(this IResourceBuilder<ProjectResource> detector) =>
        detector.WithHttpCommand("/pushes/runs", "Run pushes now", commandName: "run-pushes", commandOptions: new HttpCommandOptions
        {
            Description = "Runs every valid push now; each run's outcome is in GET /pushes and the traces.",
            IconName = "Play",
            ConfirmationMessage = "Run every push now? Deltas found are delivered as on a scheduled run.",
        });

    /// <summary>The cards people actually saw, drawn as Block Kit, served by the Dispatcher itself.</summary>
    public static IResourceBuilder<ProjectResource> WithRecentCardsPage(this IResourceBuilder<ProjectResource> dispatcher) =>
        dispatcher.WithUrlForEndpoint("http", _ => new ResourceUrlAnnotation { Url = "/cards", DisplayText = "Recent cards" });
}
