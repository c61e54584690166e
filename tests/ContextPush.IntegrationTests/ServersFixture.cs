using ContextPush.IntegrationTests;
using ContextPush.LocalServers;

[assembly: AssemblyFixture(typeof(ServersFixture))]

namespace ContextPush.IntegrationTests;

/// <summary>
/// One set of real servers (RabbitMQ, PostgreSQL, Redis) for the whole test run, started by the
/// same code as the AppHost. Tests isolate themselves with a virtual host, databases and a Redis
/// database of their own (<see cref="NextIsolation"/>).
/// </summary>
public sealed class ServersFixture : IAsyncLifetime
{
    private int _next;

    public LocalServerSet Servers { get; private set; } = null!;

    /// <summary>A prefix no other test uses, and a Redis database number of its own.</summary>
    public (string Prefix, int RedisDatabase) NextIsolation(string name)
    {
        var n = Interlocked.Increment(ref _next);
        return ($"{name}{n}_{Guid.NewGuid():N}"[..Math.Min(40, name.Length + 14)].ToLowerInvariant(), n);
    }

    public async ValueTask InitializeAsync() =>
        Servers = await LocalServerSet.StartAsync(message => Console.WriteLine($"[servers] {message}"));

    public async ValueTask DisposeAsync() => await Servers.DisposeAsync();
}
