using System.Net.Http.Json;
using System.Text.Json;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using ContextPush.DemoWarehouse;
using ContextPush.Testing.Fakes;
using ContextPush.Testing.Servers;
using Npgsql;

namespace ContextPush.EndToEndTests;

/// <summary>
/// The AppHost's own model under Aspire.Hosting.Testing: the five services as separate processes,
/// on the shared servers (given to the AppHost as ConnectionStrings__*, as a user's own servers
/// are) in a virtual host, databases and Redis database of their own, with Slack faked.
/// </summary>
public sealed class RunningContextPush : IAsyncDisposable
{
    public const string SigningSecret = "test-signing-secret-not-a-real-one";
    public const string LinkKey = "test-action-link-key-0123456789abcdef";
    public const string PreviousLinkKey = "test-previous-link-key-0123456789abcd";
    public const string HubSpotClientSecret = "test-hubspot-client-secret-not-a-real-one";
    public const string PushId = "churn-risk";

    /// <summary>The services, in the order the AppHost starts them.</summary>
    public static readonly string[] Services = ["callbacks", "dispatcher", "throttler", "assembler", "detector"];

    private static readonly string[] Databases = ["warehouse", "detectordb", "throttlerdb", "dispatcherdb", "callbacksdb"];
    private readonly string _pushFolder;
    private readonly IReadOnlyDictionary<string, string> _connectionStrings;
    private readonly ResourceLogFile _logs;

    private RunningContextPush(DistributedApplication app, SharedServers servers, FakeSlack slack, string pushFolder, string prefix,
        IReadOnlyDictionary<string, string> connectionStrings, ResourceLogFile logs, ResourceTimeline timeline)
    {
        App = app;
        Timeline = timeline;
        Servers = servers;
        Slack = slack;
        _pushFolder = pushFolder;
        Prefix = prefix;
        _connectionStrings = connectionStrings;
        _logs = logs;
    }

    public DistributedApplication App { get; }

    /// <summary>The resources' state changes since before the application started.</summary>
    public ResourceTimeline Timeline { get; }

    public SharedServers Servers { get; }

    public FakeSlack Slack { get; }

    /// <summary>The virtual host and the database-name prefix of this application.</summary>
    public string Prefix { get; }

    /// <summary>Every service's console output, prefixed with its name.</summary>
    public string LogFile => _logs.Path;

    public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromSeconds(60) };

    public Uri Url(string project) => App.GetEndpoint(project, "http");

    public string ConnectionString(string resource) => _connectionStrings[resource];

    /// <summary>
    /// Starts the AppHost's model; <c>pushFiles</c> is the push folder (file name to content), the
    /// thin path's push when not given. <c>configure</c> adds settings to the model before it starts.
    /// </summary>
    public static Task<RunningContextPush> StartAsync(ServersFixture fixture, string name, int seedAccounts = 40,
        Action<IDistributedApplicationTestingBuilder>? configure = null, IReadOnlyDictionary<string, string>? pushFiles = null,
        bool dashboard = false, string[]? args = null) =>
        StartAsync(fixture.Servers, fixture.NextIsolation(name), seedAccounts, configure, pushFiles, dashboard, args);

    /// <summary>The same on servers of the caller's own, e.g. servers a fault test stops and starts.</summary>
    public static async Task<RunningContextPush> StartAsync(SharedServers servers, (string Prefix, int RedisDatabase) isolation, int seedAccounts = 40,
        Action<IDistributedApplicationTestingBuilder>? configure = null, IReadOnlyDictionary<string, string>? pushFiles = null,
        bool dashboard = false, string[]? args = null)
    {
        var ct = TestContext.Current.CancellationToken;
        var (prefix, redisDb) = isolation;
        var connectionStrings = new Dictionary<string, string>
        {
            ["messaging"] = await servers.CreateVirtualHostAsync(prefix, ct),
            ["cache"] = servers.CacheDatabase(redisDb),
        };
        foreach (var database in Databases)
        {
            connectionStrings[database] = await servers.CreateDatabaseAsync($"{prefix}_{database}", ct);
        }

        // The AppHost never seeds a warehouse it is given, so the test fills its own, as a user's warehouse would be.
        await using (var warehouse = NpgsqlDataSource.Create(connectionStrings["warehouse"]))
        {
            await DemoWarehouseSeeder.SeedAsync(warehouse, seedAccounts, ct: ct);
        }

        var pushFolder = Directory.CreateTempSubdirectory("contextpush-pushes-").FullName;
        foreach (var (file, content) in pushFiles ?? new Dictionary<string, string> { ["churn-risk.yaml"] = TestPush })
        {
            await File.WriteAllTextAsync(Path.Combine(pushFolder, file), content, ct);
        }

        var slack = await FakeSlack.StartAsync("xoxb-test-" + Guid.NewGuid().ToString("N"));
        var logs = new ResourceLogFile(Path.Combine(AppContext.BaseDirectory, "test-logs", $"{prefix}.log"));
        string[] settings =
        [
            .. TestingBuilderExtensions.QuietLogging,
            .. args ?? [],
            .. connectionStrings.Select(c => $"--ConnectionStrings:{c.Key}={c.Value}"),
            // The server too, so the AppHost starts none of its own (as for a user who runs PostgreSQL already).
            $"--ConnectionStrings:postgres={servers.Postgres}",
        ];
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.ContextPush_AppHost>(
            new DistributedApplicationTestingBuilderOptions { EnableDashboard = dashboard }, settings, ct);
        builder.Service("detector")
            .WithEnvironment("Detector__PushesPath", pushFolder)
            .WithEnvironment("Detector__SchedulesEnabled", "false");
        builder.Service("dispatcher")
            .WithEnvironment("Dispatcher__Slack__BaseUrl", slack.BaseUrl.ToString())
            .WithEnvironment("Dispatcher__Slack__BotToken", slack.Token)
            .WithEnvironment("ActionLinks__Key", LinkKey);
        // Owners without a Slack id are looked up in the same fake workspace the cards go to.
        builder.Service("assembler")
            .WithEnvironment("Assembler__Slack__BaseUrl", slack.BaseUrl.ToString())
            .WithEnvironment("Assembler__Slack__BotToken", slack.Token);
        builder.Service("callbacks")
            .WithEnvironment("Callbacks__Slack__SigningSecret", SigningSecret)
            .WithEnvironment("Callbacks__HubSpot__ClientSecret", HubSpotClientSecret)
            .WithEnvironment("ActionLinks__Key", LinkKey)
            .WithEnvironment("ActionLinks__PreviousKey", PreviousLinkKey)
            // A weekly card posted in the middle of another test would be a message it did not expect; its own tests turn it on.
            .WithEnvironment("Callbacks__Adoption__WeeklyReport__Enabled", "false");
        foreach (var service in Services)
        {
            builder.Service(service).WithBuiltExecutable();
        }

        if (!dashboard)
        {
            foreach (var service in Services)
            {
                builder.Service(service).WithoutTelemetryExport();
            }
        }

        configure?.Invoke(builder);

        var app = await builder.BuildAsync(ct);
        logs.Follow(app);
        var timeline = new ResourceTimeline(app);
        try
        {
            using var starting = CancellationTokenSource.CreateLinkedTokenSource(ct);
            starting.CancelAfter(TimeSpan.FromMinutes(3));
            await app.StartAsync(starting.Token);
            foreach (var service in Services)
            {
                await app.ResourceNotifications.WaitForResourceHealthyAsync(service, starting.Token);
            }
        }
        catch (Exception e)
        {
            await app.DisposeAsync();
            await timeline.DisposeAsync();
            await logs.DisposeAsync();
            await slack.DisposeAsync();
            throw new InvalidOperationException($"ContextPush did not start ({e.Message}); its output is in {logs.Path}:\n{Tail(logs.Path)}", e);
        }

        return new RunningContextPush(app, servers, slack, pushFolder, prefix, connectionStrings, logs, timeline);
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
    /// Waits until every working queue of this application's virtual host is empty with nothing unacknowledged,
    /// several readings in a row, so whatever was in flight has been handled.
    /// </summary>
    public async Task WaitUntilIdleAsync(TimeSpan timeout)
    {
        using var management = new RabbitMqManagement(Servers.MessagingManagement);
        var deadline = DateTime.UtcNow + timeout;
        var quiet = 0;
        while (DateTime.UtcNow < deadline)
        {
            using var queues = JsonDocument.Parse(await management.GetJsonAsync($"api/queues/{Uri.EscapeDataString(Prefix)}", CancellationToken.None));
            // Parked messages in _error queues are not in flight: they wait for a replay.
            var busy = queues.RootElement.EnumerateArray().Where(q => !q.GetProperty("name").GetString()!.EndsWith("_error", StringComparison.Ordinal)).Any(q =>
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

    /// <summary>The OS process id of a service's (first) instance, from the orchestrator's own view of it.</summary>
    public int ProcessId(string service) => App.ResourceNotifications.ProcessIdOf(service);

    public static string Tail(string file) => File.Exists(file) ? string.Join('\n', File.ReadLines(file).TakeLast(60)) : "(no log)";

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
        await Timeline.DisposeAsync();
        await _logs.DisposeAsync();
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
