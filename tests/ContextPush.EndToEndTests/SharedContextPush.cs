using System.Text.Json;
using System.Text.Json.Nodes;
using ContextPush.Contracts;

namespace ContextPush.EndToEndTests;

/// <summary>One running ContextPush (five processes, fake Slack) shared by a test class whose tests keep apart by delta.</summary>
public class SharedContextPush(ServersFixture fixture) : IAsyncLifetime
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    public RunningContextPush System { get; private set; } = null!;

    public MessageObserver Observer { get; private set; } = null!;

    public Uri Interactions => new(System.Url("callbacks"), "/slack/interactions");

    /// <summary>Extra settings for the services, for fixtures that need them.</summary>
    protected virtual void Configure(Aspire.Hosting.Testing.IDistributedApplicationTestingBuilder builder)
    {
    }

    /// <summary>Arguments to the AppHost, e.g. <c>--replicas dispatcher=2</c>.</summary>
    protected virtual string[] AppHostArgs => [];

    /// <summary>Whether Aspire's dashboard runs too, for fixtures that read telemetry back or drive it in a browser.</summary>
    protected virtual bool Dashboard => false;

    public virtual async ValueTask InitializeAsync()
    {
        System = await RunningContextPush.StartAsync(fixture, GetType().Name.ToLowerInvariant()[..Math.Min(8, GetType().Name.Length)],
            configure: Configure, dashboard: Dashboard, args: AppHostArgs);
        Observer = await MessageObserver.StartAsync(System.ConnectionString("messaging"));
    }

    public virtual async ValueTask DisposeAsync()
    {
        await Observer.DisposeAsync();
        await System.DisposeAsync();
    }

    /// <summary>Pushes a new delta through the pipeline and answers the Slack card it became, with its button value.</summary>
    public async Task<(JsonObject Card, string ButtonValue, CardButtonValue Value)> DeliverCardAsync()
    {
        // An account key of its own, unknown to the warehouse: the card goes to the push's fallback channel.
        var account = Random.Shared.Next(10_000_000, 99_999_999).ToString(global::System.Globalization.CultureInfo.InvariantCulture);
        var delta = TestMessages.Delta(RunningContextPush.PushId, account, 0.91m,
            settings: new Dictionary<string, string> { ["delivery:slack:fallback_channel"] = "C0FALLBACK" });
        await Observer.Publisher.Publish(delta, TestContext.Current.CancellationToken);
        await Observer.WaitForAsync<Delivered>(d => d.DeltaId == delta.DeltaId, Patience);
        var card = System.Slack.Messages.Single(m => ButtonValue(m) is { } v && v.Contains(delta.DeltaId.ToString(), StringComparison.Ordinal));
        var value = ButtonValue(card)!;
        return (card, value, JsonSerializer.Deserialize<CardButtonValue>(value)!);
    }

    public Task<long> RecordedAsync(Guid deltaId) =>
        System.ScalarAsync<long>("callbacksdb", "SELECT count(*) FROM card_actions WHERE delta_id = @delta", ("delta", deltaId));

    private static string? ButtonValue(JsonObject card) => card["blocks"]?.AsArray()
        .SelectMany(b => b!["elements"] is JsonArray elements ? elements : [])
        .FirstOrDefault(e => (string?)e!["action_id"] == "mark_reviewed")?["value"]?.GetValue<string>();
}
