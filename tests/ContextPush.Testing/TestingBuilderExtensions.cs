using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;

namespace ContextPush.Testing;

public static class TestingBuilderExtensions
{
    /// <summary>
    /// A model of the test's own (a few servers, one service) run by Aspire's orchestrator, which it
    /// finds through the AppHost's assembly.
    /// </summary>
    public static IDistributedApplicationTestingBuilder CreateModel(params string[] args) =>
        ContextPush.AppHost.Servers.ThisAppHost.Orchestrates(() => DistributedApplicationTestingBuilder.Create([.. QuietLogging, .. args]));

    /// <summary>
    /// The orchestrator's own warnings only: every resource's console output would otherwise be
    /// repeated in the test output (tests that need it keep it in a file of their own).
    /// </summary>
    public static readonly string[] QuietLogging =
    [
        "--Logging:LogLevel:Default=Warning",
        "--Logging:LogLevel:ContextPush.AppHost.Resources=None",
        "--Logging:LogLevel:Microsoft.Extensions.Diagnostics.HealthChecks=None",
        "--Logging:LogLevel:Polly=Warning",
    ];

    /// <summary>One of the AppHost's services, to give it settings of the test's own.</summary>
    public static IResourceBuilder<ProjectResource> Service(this IDistributedApplicationTestingBuilder builder, string name) =>
        builder.CreateResourceBuilder(builder.Resources.OfType<ProjectResource>().Single(r => r.Name == name));

    /// <summary>
    /// Starts the service's built executable itself instead of <c>dotnet run --no-build</c>, which spends some 4 s of
    /// CPU evaluating the project on every start: on two cores that was a third of what an end-to-end system's
    /// start cost. The tests run from the same build as the services, in the same configuration.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithBuiltExecutable(this IResourceBuilder<ProjectResource> service)
    {
        var project = service.Resource.GetProjectMetadata().ProjectPath;
        var name = System.IO.Path.GetFileNameWithoutExtension(project);
        // The tests' own output folder is artifacts/bin/<project>/<configuration>/.
        var configuration = System.IO.Path.GetFileName(System.IO.Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory));
        var executable = System.IO.Path.Combine(RepositoryRoot.Path, "artifacts", "bin", name, configuration, name);
        if (!File.Exists(executable))
        {
            throw new InvalidOperationException($"{service.Resource.Name}: no built executable at {executable}; build the solution ({configuration}) first");
        }

        return service.WithAnnotation(new ExecutableAnnotation { Command = executable, WorkingDirectory = System.IO.Path.GetDirectoryName(project)! },
            ResourceAnnotationMutationBehavior.Replace);
    }

    /// <summary>
    /// No OTLP export: without the dashboard nothing receives it, and an exporter retrying against a
    /// closed port holds up each service's shutdown by seconds.
    /// </summary>
    public static IResourceBuilder<T> WithoutTelemetryExport<T>(this IResourceBuilder<T> resource) where T : IResourceWithEnvironment =>
        resource.WithEnvironment("OTEL_EXPORTER_OTLP_ENDPOINT", "");
}
