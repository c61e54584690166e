using System.Net.Http.Json;
using System.Text.Json;
using ContextPush.AppHost;
using ContextPush.AppHost.Hosting;
using ContextPush.IntegrationTests.Fakes;
using ContextPush.LocalServers;
using Npgsql;

namespace ContextPush.IntegrationTests;

/// <summary>
/// The five services as separate processes, declared by the AppHost's own model, on the shared
/// servers but in a virtual host, databases and Redis database of their own, with Slack faked.
/// </summary>
public sealed class RunningContextPush : IAsyncDisposable
{
    public const string SigningSecret = "test-signing-secret-not-a-real-one";
    public const string LinkKey = "test-action-link-key-0123456789abcdef";
    public const string PreviousLinkKey = "test-previous-link-key-0123456789abcd";
    public const string PushId = "churn-risk";

    private readonly string _pushFolder;

    private RunningContextPush(DistributedApplication app, FakeSlack slack, string pushFolder, string prefix, string logFile)
    {
        App = app;
        Slack = slack;
        _pushFolder = pushFolder;
        Prefix = prefix;
        LogFile = logFile;
    }

    public DistributedApplication App { get; }

    public FakeSlack Slack { get; }

    public string Prefix { get; }

    /// <summary>Every service's console output, prefixed with its name.</summary>
    public string LogFile { get; }

    public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromSeconds(60) };

    public Uri Url(string project) => App.Project(project).Instances[0].Url;

    public string ConnectionString(string resource) =>
        App.Resources.OfType<IResourceWithConnectionString>().Single(r => r.Name == resource).ConnectionString!;

    /// <summary>Starts all five services; <c>pushFiles</c> is the push folder (file name to content), the thin path's push when not given.</summary>
    public static async Task<RunningContextPush> StartAsync(ServersFixture fixture, string name, int seedAccounts = 40,
        Action<DistributedApplicationBuilder>? configure = null, IReadOnlyDictionary<string, string>? pushFiles = null)
    {
        var (prefix, redisDb) = fixture.NextIsolation(name);
        var pushFolder = Directory.CreateTempSubdirectory("contextpush-pushes-").FullName;
        foreach (var (file, content) in pushFiles ?? new Dictionary<string, string> { ["churn-risk.yaml"] = TestPush })
        {
            await File.WriteAllTextAsync(Path.Combine(pushFolder, file), content);
        }
        var slack = await FakeSlack.StartAsync("xoxb-test-" + Guid.NewGuid().ToString("N"));
        var logFile = Path.Combine(AppContext.BaseDirectory, "test-logs", $"{prefix}.log");
        Directory.CreateDirectory(Path.GetDirectoryName(logFile)!);
        var output = TextWriter.Synchronized(new StreamWriter(logFile) { AutoFlush = true });

        var builder = new DistributedApplicationBuilder(new DistributedApplicationOptions
        {
            Servers = fixture.Servers,
            IsolationPrefix = prefix,
            RedisDatabase = redisDb,
            SeedAccounts = seedAccounts,
            DashboardPort = 0,
            Output = output,
        });
        AppModel.Declare(builder);
        builder.Resource<ProjectResource>("detector")
            .WithEnvironment("Detector__PushesPath", pushFolder)
            .WithEnvironment("Detector__SchedulesEnabled", "false");
        builder.Resource<ProjectResource>("dispatcher")
            .WithEnvironment("Dispatcher__Slack__BaseUrl", slack.BaseUrl.ToString())
            .WithEnvironment("Dispatcher__Slack__BotToken", slack.Token)
            .WithEnvironment("ActionLinks__Key", LinkKey);
        // Owners without a Slack id are looked up in the same fake workspace the cards go to.
        builder.Resource<ProjectResource>("assembler")
            .WithEnvironment("Assembler__Slack__BaseUrl", slack.BaseUrl.ToString())
            .WithEnvironment("Assembler__Slack__BotToken", slack.Token);
        builder.Resource<ProjectResource>("callbacks")
            .WithEnvironment("Callbacks__Slack__SigningSecret", SigningSecret)
            .WithEnvironment("ActionLinks__Key", LinkKey)
            .WithEnvironment("ActionLinks__PreviousKey", PreviousLinkKey);

        configure?.Invoke(builder);
        var app = builder.Build();
        try
        {
            await app.StartAsync();
        }
        catch
        {
            await app.DisposeAsync();
            await slack.DisposeAsync();
            throw new InvalidOperationException($"ContextPush did not start; its output is in {logFile}:\n{Tail(logFile)}");
        }

        return new RunningContextPush(app, slack, pushFolder, prefix, logFile);
    }

    /// <summary>Triggers a Detector run and waits for its outcome.</summary>
    public async Task<JsonElement> RunPushAsync()
    {
        using var response = await Http.PostAsync(new Uri(Url("detector"), $"/pushes/{PushId}/runs?wait=true"), null);
        var run = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.IsSuccessStatusCode, $"run failed: {run}");
        Assert.Equal("succeeded", run.GetProperty("status").GetString());
        return run;
    }

    public async Task<T> ScalarAsync<T>(string database, string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = new NpgsqlConnection(ConnectionString(database));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (parameter, value) in parameters)
        {
            command.Parameters.AddWithValue(parameter, value);
        }

        return (T)(await command.ExecuteScalarAsync())!;
    }

    public async Task ExecuteAsync(string database, string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString(database));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>
    /// Waits until every queue of this application's virtual host is empty with nothing unacknowledged,
    /// several readings in a row, so whatever was in flight has been handled.
    /// </summary>
    public async Task WaitUntilIdleAsync(TimeSpan timeout)
    {
        using var management = new RabbitMqManagement(App.Servers.MessagingManagement);
        var deadline = DateTime.UtcNow + timeout;
        var quiet = 0;
        while (DateTime.UtcNow < deadline)
        {
            using var queues = JsonDocument.Parse(await management.GetJsonAsync($"api/queues/{Uri.EscapeDataString(Prefix)}", CancellationToken.None));
            var busy = queues.RootElement.EnumerateArray().Any(q =>
                q.TryGetProperty("messages", out var m) && m.GetInt64() > 0
                || q.TryGetProperty("messages_unacknowledged", out var u) && u.GetInt64() > 0);
            quiet = busy ? 0 : quiet + 1;
            if (quiet >= 6)
            {
                return;
            }

            await Task.Delay(250);
        }

        throw new TimeoutException("Messages were still in flight after " + timeout);
    }

    public static string Tail(string file) => File.Exists(file) ? string.Join('\n', File.ReadLines(file).TakeLast(60)) : "(no log)";

    public async ValueTask DisposeAsync()
    {
        await App.DisposeAsync();
        await Slack.DisposeAsync();
        Http.Dispose();
        Directory.Delete(_pushFolder, recursive: true);
    }

    private const string TestPush = """
        id: churn-risk
        description: The thin path's push, on a baseline first run as a real new push would be.
        cohort: |
          SELECT a.id AS account_id, a.churn_probability, a.usage_drop
          FROM accounts a
          WHERE a.churn_probability > 0.8 OR a.usage_drop > 0.2
        key: [account_id]
        metrics:
          - name: churn_probability
            tolerance: 0.05
          - name: usage_drop
            tolerance: 0.05
        schedule: "0 8 * * *"
        first_run: baseline
        throttle:
          frequency: 7d
        delivery:
          slack:
            fallback_channel: "#customer-success"
        """;
}
