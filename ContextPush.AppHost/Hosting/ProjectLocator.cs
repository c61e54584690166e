using System.Reflection;

namespace ContextPush.AppHost.Hosting;

/// <summary>
/// Finds a service's built assembly in the artifacts folder. The AppHost's build builds every
/// service (project references without their output), and records where in its own metadata.
/// </summary>
public static class ProjectLocator
{
    private static readonly Dictionary<string, string> Metadata = typeof(ProjectLocator).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>()
        .Where(a => a.Key.StartsWith("ContextPush.", StringComparison.Ordinal))
        .ToDictionary(a => a.Key, a => a.Value ?? "");

    /// <summary>The repository root at build time: pushes/ and the services' content roots live below it.</summary>
    public static string RepositoryRoot => Metadata["ContextPush.RepositoryRoot"];

    public static string AssemblyPath(string projectName)
    {
        var configuration = Metadata["ContextPush.Configuration"].ToLowerInvariant();
        var path = Path.Combine(Metadata["ContextPush.ArtifactsPath"], "bin", projectName, configuration, projectName + ".dll");
        return File.Exists(path)
            ? path
            : throw new FileNotFoundException($"{projectName} is not built at {path}; build ContextPush.AppHost (it builds every service).", path);
    }
}
