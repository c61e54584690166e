using Npgsql;

namespace ContextPush.Testing.Servers;

/// <summary>
/// The run's RabbitMQ, PostgreSQL and Redis, by connection string, with what tests need to keep
/// apart on them: a virtual host, databases and a Redis database number of their own.
/// </summary>
public sealed class SharedServers(string messaging, Uri messagingManagement, string postgres, string cache)
{
    /// <summary>amqp://user:password@host:port, as the AppHost gives the messaging resource.</summary>
    public string Messaging { get; } = messaging;

    /// <summary>RabbitMQ's management API, with credentials in the user-info part.</summary>
    public Uri MessagingManagement { get; } = messagingManagement;

    /// <summary>An Npgsql connection string for a role that may create databases.</summary>
    public string Postgres { get; } = postgres;

    /// <summary>A StackExchange.Redis configuration string.</summary>
    public string Cache { get; } = cache;

    /// <summary>Creates (or recreates) a database and answers its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string name, CancellationToken ct = default)
    {
        await using (var connection = new NpgsqlConnection(Postgres))
        {
            await connection.OpenAsync(ct);
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", connection);
            await drop.ExecuteNonQueryAsync(ct);
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await create.ExecuteNonQueryAsync(ct);
        }

        return new NpgsqlConnectionStringBuilder(Postgres) { Database = name }.ConnectionString;
    }

    /// <summary>Creates a RabbitMQ virtual host and answers the messaging connection string for it.</summary>
    public async Task<string> CreateVirtualHostAsync(string vhost, CancellationToken ct = default)
    {
        var amqp = new Uri(Messaging);
        var user = Uri.UnescapeDataString(amqp.UserInfo.Split(':')[0]);
        using var management = new RabbitMqManagement(MessagingManagement);
        await management.CreateVirtualHostAsync(vhost, user, ct);
        return new UriBuilder(amqp) { Path = "/" + Uri.EscapeDataString(vhost) }.Uri.ToString();
    }

    /// <summary>The cache connection string on a database number of its own.</summary>
    public string CacheDatabase(int number) => $"{Cache},defaultDatabase={number}";
}
