using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Aspire.Hosting;
using ContextPush.Testing.Servers;
using RabbitMQ.Client;

namespace ContextPush.EndToEndTests.Faults;

/// <summary>
/// ContextPush as a platform team runs it, two replicas of every service, on servers of the suite's
/// own that scenarios stop, restart and kill. Each scenario has a push of its own over the same
/// warehouse, so its cards are told apart from every other scenario's by their push.
/// </summary>
public class FaultSuiteContextPush : IAsyncLifetime
{
    /// <summary>Accounts in the warehouse: every scenario's push sends one card for each.</summary>
    public const int Accounts = 1_000;

    public static readonly string[] Scenarios =
        ["rabbitmq", "redis", "postgres", "sigkill", "sigterm", "slack-errors", "slack-down", "poison", "cluster"];

    /// <summary>RabbitMQ's nodes: one, or a cluster whose queues are quorum queues.</summary>
    protected virtual int BrokerNodes => 1;

    /// <summary>Replicas of every service: two, so each stage is shared and one replica can go while the other works.</summary>
    protected virtual int Replicas => 2;

    private readonly ConcurrentDictionary<string, int> _poisons = new();

    public FaultServers Servers { get; private set; } = null!;

    public RunningContextPush System { get; private set; } = null!;

    public ServiceInstances Instances { get; private set; } = null!;

    public CardLedger Ledger { get; private set; } = null!;

    /// <summary>Poison messages sent so far, by queue: all that the error queues may hold.</summary>
    public IReadOnlyDictionary<string, int> Poisons => _poisons;

    public virtual async ValueTask InitializeAsync()
    {
        var ct = TestContext.Current.CancellationToken;
        Servers = await FaultServers.StartAsync(ct, BrokerNodes);
        string[] replicas = [.. RunningContextPush.Services.SelectMany(s => new[] { "--replicas", $"{s}={Replicas}" })];
        System = await RunningContextPush.StartAsync(Servers.Servers, ($"faults_{Guid.NewGuid():N}"[..20], 1), seedAccounts: Accounts,
            configure: builder =>
            {
                // Our pace is not under test here: one channel takes the whole stream.
                builder.Service("dispatcher").WithEnvironment("Dispatcher__Slack__MessagesPerSecondPerChannel", "1000");
                // The next scheduled run comes a minute later, not a day: a run cut short is run again.
                builder.Service("detector").WithEnvironment("Detector__RunRetryDelay", "00:00:01");
                // Longer than a batch takes through the 20 s broker stop (about 35 s), shorter than the
                // 90 s default: a batch caught on a channel that never comes back is sent again sooner.
                builder.Service("detector").WithEnvironment("Detector__PublishTimeout", "00:00:45");
                // Half the default: a service whose channels were never told of a lost connection restarts its bus
                // well within a scenario's patience (docs/guarantees.md, running the broker as a cluster).
                // A restart whose stop cannot end gives up sooner too; the suite starts a service that exits with a
                // failure again, as Kubernetes would.
                foreach (var service in RunningContextPush.Services)
                {
                    builder.Service(service)
                        .WithEnvironment("Messaging__MissingConsumerGrace", "00:00:30")
                        .WithEnvironment("Messaging__RestartStopLimit", "00:00:30")
                        .WithEnvironment("Messaging__ExitStopLimit", "00:00:30");
                }

                if (BrokerNodes > 1)
                {
                    foreach (var service in RunningContextPush.Services)
                    {
                        builder.Service(service).WithEnvironment("Messaging__QueueType", "quorum");
                        // A node lost is the broker's hardest case: keep the bus's own account of it.
                        builder.Service(service).WithEnvironment("Logging__LogLevel__MassTransit", "Debug");
                    }
                }
            },
            pushFiles: Scenarios.ToDictionary(s => $"{PushId(s)}.yaml", PushFile), args: replicas);
        Instances = new ServiceInstances(System.App);
        Ledger = new CardLedger(System.Slack);
    }

    public static string PushId(string scenario) => "fault-" + scenario;

    /// <summary>Starts a run of the scenario's push and answers its id without waiting for it.</summary>
    public async Task<string> StartRunAsync(string scenario)
    {
        using var response = await System.Http.PostAsync(new Uri(System.Url("detector"), $"/pushes/{PushId(scenario)}/runs"), null);
        var run = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.IsSuccessStatusCode, $"run of {PushId(scenario)} not started: {run}");
        return run.GetProperty("runId").GetString()!;
    }

    public async Task<JsonElement> RunAsync(string scenario, string runId)
    {
        using var response = await System.Http.GetAsync(new Uri(System.Url("detector"), $"/pushes/{PushId(scenario)}/runs/{runId}"));
        return response.IsSuccessStatusCode ? await response.Content.ReadFromJsonAsync<JsonElement>() : default; // not recorded yet
    }

    /// <summary>
    /// Puts one unreadable message into every queue a service consumes (a body that is not the message
    /// its type names), as a broken publisher would.
    /// </summary>
    public async Task PoisonEveryQueueAsync()
    {
        using var management = new RabbitMqManagement(System.Servers.MessagingManagement);
        using var listing = JsonDocument.Parse(await management.GetJsonAsync($"api/queues/{Uri.EscapeDataString(System.Prefix)}", CancellationToken.None));
        var queues = listing.RootElement.EnumerateArray()
            .Where(q => q.GetProperty("durable").GetBoolean() && !q.GetProperty("auto_delete").GetBoolean())
            .Select(q => q.GetProperty("name").GetString()!)
            .Where(n => !n.EndsWith("_error", StringComparison.Ordinal) && !n.EndsWith("_skipped", StringComparison.Ordinal) && n != "test-observer")
            .ToList();
        Assert.NotEmpty(queues);
        await using var connection = await new ConnectionFactory { Uri = new Uri(System.ConnectionString("messaging")) }.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));
        foreach (var queue in queues)
        {
            var body = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new
            {
                messageId = Guid.NewGuid(),
                messageType = new[] { MessageTypeOf(queue) },
                message = new { deltaId = "not-a-delta-id", correlationId = 42 },
                sentTime = DateTimeOffset.UtcNow,
            }));
            var properties = new BasicProperties { ContentType = "application/vnd.masstransit+json", Persistent = true, MessageId = Guid.NewGuid().ToString() };
            await channel.BasicPublishAsync("", queue, mandatory: true, properties, body);
            _poisons.AddOrUpdate(queue, 1, (_, n) => n + 1);
        }
    }

    /// <summary>The queues not named after the message they take: a second consumer of a message, or a service's own message.</summary>
    private static readonly Dictionary<string, string> NamedOtherwise = new()
    {
        ["dispatcher-crm-task"] = "urn:message:ContextPush.Dispatcher.Crm:CrmTaskDue",
        ["dispatcher-crm-task-follow"] = "urn:message:ContextPush.Contracts:CardActioned",
    };

    /// <summary>"dispatcher-delivery-approved" consumes DeliveryApproved: the queue's name after its service, in Pascal case.</summary>
    private static string MessageTypeOf(string queue)
    {
        if (NamedOtherwise.TryGetValue(queue, out var type))
        {
            return type;
        }

        var message = string.Concat(queue.Split('-').Skip(1).Select(w => char.ToUpperInvariant(w[0]) + w[1..]));
        return message.EndsWith("Fault", StringComparison.Ordinal)
            ? $"urn:message:MassTransit:Fault[[ContextPush.Contracts:{message[..^5]}]]"
            : $"urn:message:ContextPush.Contracts:{message}";
    }

    /// <summary>
    /// Every account of the warehouse entered on the push's first run; the slow ones take six seconds to
    /// query (a sleep per row, which the row's own value keeps from being run once for all).
    /// </summary>
    private static string PushFile(string scenario)
    {
        var slow = scenario is "postgres" or "sigkill" or "sigterm";
        return $"""
            id: {PushId(scenario)}
            description: The fault suite's {scenario} scenario
            cohort: |
              SELECT a.id AS account_id, a.churn_probability
              FROM accounts a{(slow ? " CROSS JOIN LATERAL (SELECT pg_sleep(0.006 + 0 * a.churn_probability)) s" : "")}
            key: [account_id]
            metrics:
              - name: churn_probability
                tolerance: 0.05
            schedule: "0 8 * * *"
            first_run: send
            throttle:
              priority:
                mode: "off"
            delivery:
              slack:
                channel: C0FAULTS
            """;
    }

    public virtual async ValueTask DisposeAsync()
    {
        if (Instances is not null)
        {
            await Instances.DisposeAsync();
        }

        if (System is not null)
        {
            await System.DisposeAsync();
        }

        if (Servers is not null)
        {
            await Servers.DisposeAsync();
        }
    }
}
