
namespace ContextPush.AppHost.Servers;

/// <summary>A database on a PostgreSQL server resource (ours or the user's), created when the server is healthy.</summary>
public sealed class PostgresDatabaseResource(string name, string databaseName, IResourceWithConnectionString server)
    : Resource(name), IResourceWithConnectionString, IResourceWithWaitSupport
{
    public string DatabaseName { get; } = databaseName;

    public IResourceWithConnectionString Server { get; } = server;

    public ReferenceExpression ConnectionStringExpression =>
        ReferenceExpression.Create($"{Server.ConnectionStringExpression};Database={DatabaseName}");
}

/// <summary>Marks the demo warehouse: generated with this many accounts once its database is created.</summary>
public sealed record DemoSeedAnnotation(int Accounts) : IResourceAnnotation;
