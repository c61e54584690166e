using ContextPush.Testing.Servers;

namespace ContextPush.EndToEndTests.Faults;

/// <summary>
/// The fault suite runs alone, after every other test: its scenarios stop servers and kill processes,
/// and their recovery times mean something only on an otherwise idle machine.
/// </summary>
[CollectionDefinition(DisableParallelization = true)]
public sealed class FaultSuite : ICollectionFixture<FaultSuiteContextPush>;

/// <summary>
/// Nothing lost, nothing doubled, whatever fails: each scenario streams a card for each of 1,000
/// accounts through two replicas of every service while one part of the system fails, then checks
/// that every card arrived exactly once, every decision was recorded, and the error queues hold only
/// the poison each scenario put in every queue.
/// </summary>
[Collection(typeof(FaultSuite))]
public sealed class FaultSuiteTests(FaultSuiteContextPush suite)
{
    private static readonly TimeSpan Outage = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan SlackOutage = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Graceful = TimeSpan.FromSeconds(45);

    [Fact]
    public Task RabbitMQ_stopped_for_20_seconds_mid_stream_then_started() => Scenario("rabbitmq").RunAsync(async s =>
    {
        await s.CardsAtLeastAsync(150);
        s.Begin();
        await suite.Servers.StopAsync(FaultServers.Messaging);
        await Task.Delay(Outage, TestContext.Current.CancellationToken); // the outage itself
        await suite.Servers.StartAsync(FaultServers.Messaging);
        s.End();
    });

    [Fact]
    public Task Redis_stopped_mid_stream_then_started() => Scenario("redis").RunAsync(async s =>
    {
        await s.CardsAtLeastAsync(150);
        s.Begin();
        await suite.Servers.StopAsync(FaultServers.Cache);
        await s.CardsAtLeastAsync(0);
        await Task.Delay(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken); // the outage itself
        await suite.Servers.StartAsync(FaultServers.Cache);
        s.End();
    });

    [Fact]
    public Task PostgreSQL_restarted_during_a_Detector_run() => Scenario("postgres").RunAsync(async s =>
    {
        await s.CohortQueryRunningAsync();
        s.Begin();
        await suite.Servers.RestartPostgresAsync();
        s.End();
    });

    [Fact]
    public Task Each_service_killed_with_SIGKILL_mid_stream() => Scenario("sigkill").RunAsync(s => StopEachServiceAsync(s, ProcessTree.SigKill));

    [Fact]
    public Task Each_service_stopped_with_SIGTERM_mid_stream_finishes_or_returns_its_work() =>
        Scenario("sigterm").RunAsync(s => StopEachServiceAsync(s, ProcessTree.SigTerm));

    [Fact]
    public Task Slack_answering_500_then_429_with_Retry_After_for_30_seconds() => Scenario("slack-errors").RunAsync(async s =>
    {
        await s.CardsAtLeastAsync(150);
        s.Begin();
        var slack = suite.System.Slack;
        slack.RateLimitRetryAfter = 10;
        slack.ServerErrorsUntil = s.FaultStarted + (SlackOutage / 2);
        slack.RateLimitedUntil = s.FaultStarted + SlackOutage;
        await Task.Delay(SlackOutage, TestContext.Current.CancellationToken); // the outage itself
        s.End();
    });

    [Fact]
    public Task Slack_unreachable_for_30_seconds() => Scenario("slack-down").RunAsync(async s =>
    {
        await s.CardsAtLeastAsync(150);
        s.Begin();
        await suite.System.Slack.UnreachableForAsync(SlackOutage);
        s.End();
    });

    [Fact]
    public Task Poison_in_every_queue_mid_stream() => Scenario("poison").RunAsync(async s =>
    {
        await s.CardsAtLeastAsync(300);
        s.Begin();
        await suite.PoisonEveryQueueAsync();
        s.End();
    });

    /// <summary>
    /// Both Detectors mid-run, then one replica of each other service while cards stream, each started
    /// again as Kubernetes would restart its pod. The run cut short is run again, as its next schedule would.
    /// </summary>
    private async Task StopEachServiceAsync(FaultScenario s, int signal)
    {
        await s.CohortQueryRunningAsync();
        s.Begin();
        s.StartClicking();
        foreach (var detector in suite.Instances.Of("detector"))
        {
            s.Notes.Enqueue($"{detector} exited {await suite.Instances.SignalAsync(detector, signal, Graceful)}");
        }

        foreach (var detector in suite.Instances.Of("detector"))
        {
            await suite.Instances.StartAsync(detector);
        }

        await s.RunAgainAsync();
        // A killed run is marked interrupted by the next; a stopped one records its cancellation if its
        // process lives long enough to, and is marked interrupted otherwise.
        Assert.Contains(await s.StatusOfAsync(s.FirstRunId), signal == ProcessTree.SigKill ? ["interrupted"] : new[] { "failed", "interrupted" });
        var at = 150;
        foreach (var service in new[] { "assembler", "throttler", "dispatcher", "callbacks" })
        {
            await s.CardsAtLeastAsync(at);
            var instance = suite.Instances.Of(service)[0];
            var exitCode = await suite.Instances.SignalAsync(instance, signal, Graceful);
            s.Notes.Enqueue($"{service} exited {exitCode}");
            if (signal == ProcessTree.SigTerm)
            {
                Assert.Equal(0, exitCode);
            }

            await suite.Instances.StartAsync(instance);
            at += 150;
        }

        s.End();
    }

    private FaultScenario Scenario(string name) => new(suite, name);
}
