namespace ContextPush.LocalServers;

/// <summary>
/// Finds a server's binary, installing its Debian package when it is missing and we are root, so a
/// fresh machine needs nothing installed by hand.
/// </summary>
public static class ServerBinaries
{
    public const string PostgresBin = "/usr/lib/postgresql/15/bin";
    public const string RabbitMqServer = "/usr/lib/rabbitmq/bin/rabbitmq-server";
    public const string RedisServer = "/usr/bin/redis-server";

    private static readonly SemaphoreSlim AptLock = new(1, 1);

    public static Task EnsurePostgresAsync(ServerLog log, CancellationToken ct) =>
        EnsureAsync(Path.Combine(PostgresBin, "postgres"), "postgresql-15", log, ct);

    public static Task EnsureRabbitMqAsync(ServerLog log, CancellationToken ct) =>
        EnsureAsync(RabbitMqServer, "rabbitmq-server", log, ct);

    public static Task EnsureRedisAsync(ServerLog log, CancellationToken ct) =>
        EnsureAsync(RedisServer, "redis-server", log, ct);

    public const string Chromium = "/usr/bin/chromium";

    /// <summary>Headless Chromium, which the dashboard's browser tests drive.</summary>
    public static Task EnsureChromiumAsync(ServerLog log, CancellationToken ct) =>
        EnsureAsync(Chromium, "chromium", log, ct);

    private static async Task EnsureAsync(string binary, string package, ServerLog log, CancellationToken ct)
    {
        if (File.Exists(binary))
        {
            return;
        }

        if (!SystemUser.IsRoot)
        {
            throw new InvalidOperationException(
                $"{binary} is missing: install the Debian package '{package}' (sudo apt-get install -y {package}), " +
                "or set the ConnectionStrings__* variables to servers you already run.");
        }

        await AptLock.WaitAsync(ct);
        try
        {
            if (File.Exists(binary))
            {
                return;
            }

            log($"{binary} is missing; installing Debian package {package}");
            var env = new Dictionary<string, string> { ["DEBIAN_FRONTEND"] = "noninteractive" };
            var install = await ProcessRunner.RunAsync("apt-get", ["install", "-y", "-q", package], ct, env);
            if (install.ExitCode != 0)
            {
                // A fresh machine has no package lists yet.
                (await ProcessRunner.RunAsync("apt-get", ["update", "-q"], ct, env)).ThrowIfFailed("apt-get update");
                (await ProcessRunner.RunAsync("apt-get", ["install", "-y", "-q", package], ct, env)).ThrowIfFailed($"installing {package}");
            }
        }
        finally
        {
            AptLock.Release();
        }
    }
}
