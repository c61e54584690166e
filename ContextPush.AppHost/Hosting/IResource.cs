namespace ContextPush.AppHost.Hosting;

/// <summary>Anything the AppHost declares: a server, a database or a project. The name is also the connection name.</summary>
public interface IResource
{
    string Name { get; }
}

/// <summary>A resource that gives its dependants a connection string (Aspire's IResourceWithConnectionString).</summary>
public interface IResourceWithConnectionString : IResource
{
    /// <summary>Known once the application has started its servers.</summary>
    string? ConnectionString { get; }
}
