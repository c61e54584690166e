
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

    /// <summary>
    /// "Replay error queue": the service's parked messages go back to their queues, all of them or a
    /// push's or one DeltaId's; "dry run" only counts. The counts come back as the command's result.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithReplayErrorQueueCommand(this IResourceBuilder<ProjectResource> service) =>
        service.WithHttpCommand("/admin/error-queues/replay", "Replay error queue", commandName: "replay-error-queue", commandOptions: new HttpCommandOptions
        {
            Description = "Moves parked messages from the service's _error queues back to their queues; a replay never doubles a card.",
            IconName = "ArrowReplay",
            Method = HttpMethod.Post,
            ResultMode = HttpCommandResultMode.Json,
            Arguments =
            [
                new InteractionInput { Name = "push", Label = "Push", InputType = InputType.Text, Placeholder = "every push" },
                new InteractionInput { Name = "deltaId", Label = "DeltaId", InputType = InputType.Text, Placeholder = "every delta" },
                new InteractionInput { Name = "dryRun", Label = "Dry run (only count)", InputType = InputType.Boolean, Value = "true" },
            ],
            PrepareRequest = context =>
            {
                var query = context.Arguments is { } arguments
                    ? string.Join('&', arguments.Where(a => !string.IsNullOrWhiteSpace(a.Value))
                        .Select(a => $"{a.Name}={Uri.EscapeDataString(a.Value!.Trim())}"))
                    : "";
                context.Request.RequestUri = new UriBuilder(context.Request.RequestUri!) { Query = query }.Uri;
                return Task.CompletedTask;
            },
        });

    /// <summary>The cards people actually saw, drawn as Block Kit, served by the Dispatcher itself.</summary>
    public static IResourceBuilder<ProjectResource> WithRecentCardsPage(this IResourceBuilder<ProjectResource> dispatcher) =>
        dispatcher.WithUrlForEndpoint("http", _ => new ResourceUrlAnnotation { Url = "/cards", DisplayText = "Recent cards" });

    /// <summary>A link on Callbacks' resource in the dashboard: whether people act on what each push sends.</summary>
    public static IResourceBuilder<ProjectResource> WithAdoptionFigures(this IResourceBuilder<ProjectResource> callbacks) =>
        callbacks.WithUrlForEndpoint("http", _ => new ResourceUrlAnnotation { Url = "/adoption/page", DisplayText = "Adoption" });
}
