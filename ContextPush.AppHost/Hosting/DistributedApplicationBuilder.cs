namespace ContextPush.AppHost.Hosting;

/// <summary>Declares resources top to bottom, as Aspire's DistributedApplication.CreateBuilder does.</summary>
public sealed class DistributedApplicationBuilder(DistributedApplicationOptions options)
{
    private readonly List<IResource> _resources = [];

    public DistributedApplicationOptions Options { get; } = options;

    public IReadOnlyList<IResource> Resources => _resources;

    public T AddResource<T>(T resource) where T : IResource
    {
        if (_resources.Any(r => r.Name == resource.Name))
        {
            throw new InvalidOperationException($"A resource named '{resource.Name}' is already declared.");
        }

        _resources.Add(resource);
        return resource;
    }

    public ProjectResource AddProject(string name, string projectName)
    {
        var project = AddResource(new ProjectResource(name, projectName));
        return Options.Replicas.TryGetValue(name, out var replicas) ? project.WithReplicas(replicas) : project;
    }

    public T Resource<T>(string name) where T : IResource =>
        _resources.OfType<T>().SingleOrDefault(r => r.Name == name) ?? throw new KeyNotFoundException($"No {typeof(T).Name} named '{name}'.");

    public DistributedApplication Build() => new(this);
}

/// <summary>Aspire's entry point name.</summary>
public static class DistributedApplicationFactory
{
    public static DistributedApplicationBuilder CreateBuilder(string[] args) => new(DistributedApplicationOptions.Parse(args));
}
