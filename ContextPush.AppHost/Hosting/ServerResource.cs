namespace ContextPush.AppHost.Hosting;

/// <summary>What kind of server a <see cref="ServerResource"/> is; each maps to one server of the local set.</summary>
public enum ServerKind
{
    RabbitMq,
    Postgres,
    Redis,
}

/// <summary>RabbitMQ, PostgreSQL or Redis: started on loopback by the AppHost, or given through ConnectionStrings__&lt;name&gt;.</summary>
public sealed class ServerResource(string name, ServerKind kind, DistributedApplicationBuilder builder) : IResourceWithConnectionString
{
    internal DistributedApplicationBuilder Builder { get; } = builder;

    public string Name { get; } = name;

    public ServerKind Kind { get; } = kind;

    public string? ConnectionString { get; internal set; }

    public bool ManagementPlugin { get; private set; }

    /// <summary>RabbitMQ's management UI and API (always on in our local servers; recorded for the dashboard).</summary>
    public ServerResource WithManagementPlugin()
    {
        ManagementPlugin = true;
        return this;
    }

    /// <summary>A database on this PostgreSQL server, created when the application starts.</summary>
    public DatabaseResource AddDatabase(string name) => Kind == ServerKind.Postgres
        ? Builder.AddResource(new DatabaseResource(name, this))
        : throw new InvalidOperationException($"{Name} is not a PostgreSQL server; databases belong to AddPostgres resources");
}

/// <summary>A database on a PostgreSQL server resource, created at start (Aspire's AddDatabase).</summary>
public sealed class DatabaseResource(string name, ServerResource server) : IResourceWithConnectionString
{
    public string Name { get; } = name;

    public ServerResource Server { get; } = server;

    public string? ConnectionString { get; internal set; }

    /// <summary>Accounts to generate into the demo warehouse at start; null for none.</summary>
    public int? DemoSeedAccounts { get; private set; }

    public DatabaseResource WithDemoSeed(int accounts)
    {
        DemoSeedAccounts = accounts;
        return this;
    }
}
