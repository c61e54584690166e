using System.Diagnostics;
using Aspire.Hosting.Testing;
using ContextPush.AppHost.Servers;
using Npgsql;

namespace ContextPush.Bench.Detection;

/// <summary>
/// RabbitMQ and PostgreSQL for one benchmark run, declared with the AppHost's own resource extensions
/// and run by Aspire's orchestrator in a child process (this program with <c>--serve</c>), so the
/// measured process holds only what the Detector would: the orchestrator's model and its client cost
/// some 50 MB of resident memory that no Detector has. ConnectionStrings__messaging/postgres, when both
/// are set, name servers to use instead.
/// </summary>
internal sealed class BenchServers(Process? child, string messaging, string postgres) : IAsyncDisposable
{
    public const string ServeArgument = "--serve";

    public string Messaging { get; } = messaging;

    public static async Task<BenchServers> StartAsync()
    {
        if (Environment.GetEnvironmentVariable("ConnectionStrings__messaging") is { Length: > 0 } givenMessaging
            && Environment.GetEnvironmentVariable("ConnectionStrings__postgres") is { Length: > 0 } givenPostgres)
        {
            return new BenchServers(null, givenMessaging, givenPostgres);
        }

        var child = Process.Start(new ProcessStartInfo(Environment.ProcessPath!, ServeArgument)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        })!;
        // The child answers with the two connection strings once the servers are healthy (a fresh machine installs them first).
        using var starting = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        var answer = new Dictionary<string, string>();
        while (answer.Count < 2 && await child.StandardOutput.ReadLineAsync(starting.Token) is { } line)
        {
            if (line.Split('=', 2) is [var name and ("messaging" or "postgres"), var connectionString])
            {
                answer[name] = connectionString;
            }
        }

        return answer.Count == 2
            ? new BenchServers(child, answer["messaging"], answer["postgres"])
            : throw new InvalidOperationException($"the benchmark's servers did not start (exit code {(child.HasExited ? child.ExitCode : -1)})");
    }

    /// <summary>The child's part: starts the servers, prints their connection strings, and stops them when its input closes.</summary>
    public static async Task ServeAsync()
    {
        var builder = ThisAppHost.Orchestrates(() => DistributedApplicationTestingBuilder.Create(
            "--Logging:LogLevel:Default=Warning", "--Logging:LogLevel:ContextPush.AppHost.Resources=None",
            "--Logging:LogLevel:Microsoft.Extensions.Diagnostics.HealthChecks=None"));
        builder.AddLocalRabbitMQ("messaging");
        builder.AddLocalPostgres("postgres");
        await using var app = builder.Build();
        using var starting = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        await app.StartAsync(starting.Token);
        await app.ResourceNotifications.WaitForResourceHealthyAsync("messaging", starting.Token);
        await app.ResourceNotifications.WaitForResourceHealthyAsync("postgres", starting.Token);
        Console.WriteLine($"messaging={await app.GetConnectionStringAsync("messaging", starting.Token)}");
        Console.WriteLine($"postgres={await app.GetConnectionStringAsync("postgres", starting.Token)}");
        await Console.In.ReadToEndAsync(); // the parent closes it when done, or its exit does
        await app.StopAsync();
    }

    /// <summary>Creates (or recreates) a database and answers its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string name)
    {
        await using (var connection = new NpgsqlConnection(postgres))
        {
            await connection.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", connection);
            await drop.ExecuteNonQueryAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await create.ExecuteNonQueryAsync();
        }

        return new NpgsqlConnectionStringBuilder(postgres) { Database = name }.ConnectionString;
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        if (child is not null)
        {
            child.StandardInput.Close();
            using var stopping = new CancellationTokenSource(TimeSpan.FromMinutes(1));
            await child.WaitForExitAsync(stopping.Token);
            child.Dispose();
        }
    }
}
