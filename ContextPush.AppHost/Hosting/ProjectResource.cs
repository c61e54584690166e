namespace ContextPush.AppHost.Hosting;

/// <summary>One of our services, run as its own process (or several replicas) with Aspire's environment contract.</summary>
public sealed class ProjectResource(string name, string projectName) : IResource
{
    private readonly List<IResource> _references = [];
    private readonly List<IResource> _waitsFor = [];
    private readonly Dictionary<string, string> _environment = new(StringComparer.Ordinal);

    public string Name { get; } = name;

    /// <summary>The project's assembly name, e.g. ContextPush.Detector.</summary>
    public string ProjectName { get; } = projectName;

    public IReadOnlyList<IResource> References => _references;

    public IReadOnlyList<IResource> WaitsFor => _waitsFor;

    public IReadOnlyDictionary<string, string> Environment => _environment;

    public string? HealthCheckPath { get; private set; }

    public int Replicas { get; private set; } = 1;

    /// <summary>Running instances, once started.</summary>
    public List<ServiceInstance> Instances { get; } = [];

    /// <summary>Gives the project ConnectionStrings__&lt;name&gt; (servers, databases) or services__&lt;name&gt;__http__0 (projects).</summary>
    public ProjectResource WithReference(IResource resource)
    {
        _references.Add(resource);
        return this;
    }

    /// <summary>Starts this project only after the resource is running and, for projects, healthy.</summary>
    public ProjectResource WaitFor(IResource resource)
    {
        _waitsFor.Add(resource);
        return this;
    }

    public ProjectResource WithEnvironment(string name, string value)
    {
        _environment[name] = value;
        return this;
    }

    public ProjectResource WithHttpHealthCheck(string path)
    {
        HealthCheckPath = path;
        return this;
    }

    public ProjectResource WithReplicas(int replicas)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(replicas, 1);
        Replicas = replicas;
        return this;
    }
}
