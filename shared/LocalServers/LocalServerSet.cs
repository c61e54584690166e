using Npgsql;

namespace ContextPush.LocalServers;

/// <summary>
/// The three servers ContextPush needs: RabbitMQ ("messaging"), PostgreSQL ("postgres") and Redis
/// ("cache"). Each is started fresh on loopback, unless its connection string is already in the
/// environment (<c>ConnectionStrings__messaging</c>, <c>ConnectionStrings__postgres</c>,
/// <c>ConnectionStrings__cache</c>), in which case that server is used and never stopped.
/// The AppHost and the integration tests both go through this class.
/// </summary>
public sealed class LocalServerSet : IAsyncDisposable
{
    public const string MessagingName = "messaging";
    public const string PostgresName = "postgres";
    public const string CacheName = "cache";

    private readonly List<ILocalServer> _started;
    private readonly string _baseDir;

    private LocalServerSet(string baseDir, string messaging, Uri messagingManagement, string postgres, string cache, List<ILocalServer> started)
    {
        _baseDir = baseDir;
        Messaging = messaging;
        MessagingManagement = messagingManagement;
        Postgres = postgres;
        Cache = cache;
        _started = started;
    }

    /// <summary>amqp://user:password@host:port[/vhost], as Aspire gives a RabbitMQ resource.</summary>
    public string Messaging { get; }

    /// <summary>RabbitMQ's management API, with credentials in the user-info part.</summary>
    public Uri MessagingManagement { get; }

    /// <summary>An Npgsql connection string for a role that may create databases.</summary>
    public string Postgres { get; }

    /// <summary>A StackExchange.Redis configuration string.</summary>
    public string Cache { get; }

    /// <summary>Where the servers this set started keep their data; deleted on dispose.</summary>
    public string DataDirectory => _baseDir;

    /// <summary>The servers this set started itself (empty when all were given).</summary>
    public IReadOnlyList<ILocalServer> Started => _started;

    public static async Task<LocalServerSet> StartAsync(ServerLog log, CancellationToken ct = default,
        IReadOnlyDictionary<string, string?>? given = null)
    {
        given ??= FromEnvironment();
        var baseDir = Path.Combine(Path.GetTempPath(), $"contextpush-{Environment.ProcessId}-{Guid.NewGuid():N}"[..40]);
        Directory.CreateDirectory(baseDir);
        var rabbit = given.GetValueOrDefault(MessagingName) is null ? RabbitMqServer.StartAsync(baseDir, log, ct) : null;
        var postgres = given.GetValueOrDefault(PostgresName) is null ? PostgresServer.StartAsync(baseDir, log, ct) : null;
        var redis = given.GetValueOrDefault(CacheName) is null ? RedisServer.StartAsync(baseDir, log, ct) : null;
        // Started side by side: RabbitMQ alone takes about six seconds.
        var pending = new[] { Upcast(rabbit), Upcast(postgres), Upcast(redis) }.OfType<Task<ILocalServer>>().ToList();
        try
        {
            await Task.WhenAll(pending);
        }
        catch
        {
            foreach (var server in pending.Where(t => t.IsCompletedSuccessfully))
            {
                await server.Result.DisposeAsync();
            }

            ServerProcesses.DeleteDirectory(baseDir);
            throw;
        }

        var messaging = given.GetValueOrDefault(MessagingName) ?? rabbit!.Result.ConnectionString;
        var management = rabbit is not null
            ? rabbit.Result.ManagementUri
            : new Uri(given.GetValueOrDefault(MessagingName + "-management") ?? DefaultManagementUri(messaging));
        return new LocalServerSet(baseDir, messaging, management,
            given.GetValueOrDefault(PostgresName) ?? postgres!.Result.ConnectionString,
            given.GetValueOrDefault(CacheName) ?? redis!.Result.ConnectionString,
            pending.Select(t => t.Result).ToList());
    }

    private static Task<ILocalServer>? Upcast<T>(Task<T>? task) where T : ILocalServer =>
        task?.ContinueWith(t => (ILocalServer)t.GetAwaiter().GetResult(), TaskScheduler.Default);

    private static Dictionary<string, string?> FromEnvironment() => new[]
    {
        MessagingName, MessagingName + "-management", PostgresName, CacheName,
    }.ToDictionary(n => n, n => Environment.GetEnvironmentVariable($"ConnectionStrings__{n}") is { Length: > 0 } v ? v : null);

    private static string DefaultManagementUri(string amqp)
    {
        var uri = new Uri(amqp);
        return $"http://{(uri.UserInfo.Length > 0 ? uri.UserInfo : "guest:guest")}@{uri.Host}:15672/";
    }

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

    /// <summary>Creates a database unless it exists, keeping what is in it, and answers its connection string.</summary>
    public async Task<string> EnsureDatabaseAsync(string name, CancellationToken ct = default)
    {
        await using (var connection = new NpgsqlConnection(Postgres))
        {
            await connection.OpenAsync(ct);
            await using var exists = new NpgsqlCommand("SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = @name)", connection);
            exists.Parameters.AddWithValue("name", name);
            if (!(bool)(await exists.ExecuteScalarAsync(ct))!)
            {
                await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
                await create.ExecuteNonQueryAsync(ct);
            }
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

    public async ValueTask DisposeAsync()
    {
        await Task.WhenAll(_started.Select(s => s.DisposeAsync().AsTask()));
        ServerProcesses.DeleteDirectory(_baseDir);
    }
}
