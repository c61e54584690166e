using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using ContextPush.AppHost.Servers;
using ContextPush.Contracts;
using ContextPush.Testing.Servers;
using Microsoft.Extensions.DependencyInjection;

namespace ContextPush.EndToEndTests.Throttler;

/// <summary>With its Redis gone the Throttler decides nothing and loses nothing; when Redis returns, everything pending is decided.</summary>
public sealed class FailClosedTests(ServersFixture fixture)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Redis_stopped_mid_stream_then_restarted_loses_nothing_and_approves_nothing_unchecked()
    {
        var ct = TestContext.Current.CancellationToken;
        // A Redis of the test's own, run by Aspire's orchestrator so it can be stopped and started as from the dashboard.
        var redisModel = TestingBuilderExtensions.CreateModel();
        redisModel.AddLocalRedis("cache");
        await using var redis = redisModel.Build();
        await redis.StartAsync(ct);
        await redis.ResourceNotifications.WaitForResourceHealthyAsync("cache", ct);
        var commands = redis.Services.GetRequiredService<ResourceCommandService>();
        var cache = (await redis.GetConnectionStringAsync("cache", ct))!;
        await using var system = await RunningContextPush.StartAsync(fixture, "failclosed", configure: builder =>
            builder.Service("throttler").WithEnvironment("ConnectionStrings__cache", cache));
        await using var observer = await MessageObserver.StartAsync(system.ConnectionString("messaging"));
        using var management = new RabbitMqManagement(system.Servers.MessagingManagement);
        try
        {
            var warm = Assembled();
            await observer.Publisher.Publish(warm, ct);
            await observer.WaitForAsync<DeliveryApproved>(a => a.DeltaId == warm.DeltaId, Patience);

            Assert.True((await commands.ExecuteCommandAsync("cache", KnownResourceCommands.StopCommand, ct)).Success);
            var pending = Enumerable.Range(0, 5).Select(_ => Assembled()).ToList();
            foreach (var message in pending)
            {
                await observer.Publisher.Publish(message, ct);
            }

            // The Throttler has taken the messages and is retrying them against the missing Redis.
            await Eventually.UntilAsync("the Throttler retrying on the lost Redis", async () =>
                (await File.ReadAllLinesAsync(system.LogFile, ct)).Count(l => l.Contains("R-RETRY", StringComparison.Ordinal)
                    && l.Contains("throttler-context-assembled", StringComparison.Ordinal)) >= 4, Patience);
            Assert.Equal(0, await management.QueueFigureAsync(system.Prefix, "throttler-context-assembled_error", "messages", ct));

            Assert.Empty(observer.Received<DeliveryApproved>(a => pending.Any(p => p.DeltaId == a.DeltaId)));
            Assert.Empty(observer.Received<DeliverySuppressed>(s => pending.Any(p => p.DeltaId == s.DeltaId)));

            Assert.True((await commands.ExecuteCommandAsync("cache", KnownResourceCommands.StartCommand, ct)).Success);
            foreach (var message in pending)
            {
                await observer.WaitForAsync<DeliveryApproved>(a => a.DeltaId == message.DeltaId, Patience);
            }

            await system.WaitUntilIdleAsync(Patience);
            Assert.Equal(0, await management.QueueFigureAsync(system.Prefix, "throttler-context-assembled_error", "messages", ct));
            Assert.Equal(6L, await system.ScalarAsync<long>("throttlerdb", "SELECT count(*) FROM decisions WHERE approved"));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw new Xunit.Sdk.XunitException($"{e.Message}\n--- service output ({system.LogFile}) ---\n{RunningContextPush.Tail(system.LogFile)}", e);
        }
    }

    private static ContextAssembled Assembled() => TestMessages.Assembled(TestMessages.Delta("fail-closed", Guid.NewGuid().ToString("N"),
        settings: new Dictionary<string, string> { ["delivery:channel"] = "console" }));
}
