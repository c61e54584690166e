using ContextPush.ServiceDefaults;
using ContextPush.ServiceDefaults.Messaging;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using RabbitMQ.Client;

namespace ContextPush.ComponentTests.Messaging;

/// <summary>
/// A service whose work queue has been without a working consumer for longer than the grace restarts its bus, and
/// consumes afterwards. The deaf endpoint this answers (a channel whose shutdown RabbitMQ.Client never reported)
/// comes from a race inside the client that a test cannot call up at will, so it is called up in its shapes:
/// a queue the service lists but nobody consumes, and a connection that went silent, which the broker still lists
/// a consumer on and where no publish is confirmed; the restart and what follows it are the real ones.
/// </summary>
public class MissingConsumerTests(ServersFixture fixture)
{
    [Fact(Timeout = 120_000)]
    public async Task A_work_queue_without_a_consumer_past_the_grace_restarts_the_bus_which_then_consumes()
    {
        var ct = TestContext.Current.CancellationToken;
        var (vhost, _) = fixture.NextIsolation("deaf");
        var broker = await fixture.Servers.CreateVirtualHostAsync(vhost, ct);
        await using (var connection = await new ConnectionFactory { Uri = new Uri(broker) }.CreateConnectionAsync(ct))
        await using (var channel = await connection.CreateChannelAsync(cancellationToken: ct))
        {
            await channel.QueueDeclareAsync("probe-deaf", durable: true, exclusive: false, autoDelete: false, cancellationToken: ct);
        }

        var starts = new BusStarts();
        using var host = ProbeService.Build(broker, QuickWatch(), services => services.AddBusObserver(_ => starts));
        host.Services.GetRequiredService<QueueNames>().Add("probe-deaf");
        await host.StartConsumingAsync(ct);

        await Eventually.UntilAsync("the bus restarted for probe-deaf", () => Task.FromResult(starts.Count >= 2), TimeSpan.FromSeconds(60));
        Assert.Equal(1, host.Services.GetRequiredService<MissingConsumerWatch>().Restarts);
        await host.Services.GetRequiredService<IBus>().Publish(new ProbeService.Probe("after the restart", Hang: false), ct);
        var log = host.Services.GetRequiredService<ProbeService.ProbeLog>();
        await Eventually.UntilAsync("a probe published after the restart, consumed", () => Task.FromResult(log.Consumed.Contains("after the restart")),
            TimeSpan.FromSeconds(30));
        var monitor = host.Services.GetRequiredService<QueueDepthMonitor>();
        await Eventually.UntilAsync("the service's own queue with a consumer again on the broker", () => Task.FromResult(
            monitor.Consumers.Any(c => c.Key != "probe-deaf" && c.Value > 0)), TimeSpan.FromSeconds(30));

        await host.StopAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30), ct);
    }

    [Fact(Timeout = 180_000)]
    public async Task A_listed_consumer_that_hears_nothing_while_messages_wait_restarts_the_bus_which_then_consumes()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var probe = await BehindSilentLinkAsync("silent", ct);
        var (broker, link, host, starts) = (probe.Broker, probe.Link, probe.Host, probe.Starts);
        var queue = host.Services.GetRequiredService<QueueNames>().All.Single();
        var log = host.Services.GetRequiredService<ProbeService.ProbeLog>();
        await ProbeService.PublishFromOutsideAsync(broker, queue, [new ProbeService.Probe("before", Hang: false)], ct);
        await Eventually.UntilAsync("a probe consumed before the link goes silent", () => Task.FromResult(log.Consumed.Contains("before")), TimeSpan.FromSeconds(30));

        // The broker keeps the silent connection's consumer, fills its prefetch, and leaves the rest ready.
        link.Silence();
        var probes = Enumerable.Range(0, 200).Select(i => new ProbeService.Probe($"silent {i}", Hang: false)).ToList();
        await ProbeService.PublishFromOutsideAsync(broker, queue, probes, ct);

        await Eventually.UntilAsync("probes published while the link was silent, consumed after the restart",
            () => Task.FromResult(log.Consumed.Count(n => n.StartsWith("silent ", StringComparison.Ordinal)) >= 100), TimeSpan.FromSeconds(90));
        Assert.True(link.Silenced > 0);
        Assert.Equal(1, host.Services.GetRequiredService<MissingConsumerWatch>().Restarts);
        Assert.Equal(2, starts.Count);

        await host.StopAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30), ct);
    }

    [Fact(Timeout = 180_000)]
    public async Task A_service_whose_publishes_go_unconfirmed_past_the_grace_restarts_the_bus_and_publishes_again()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var probe = await BehindSilentLinkAsync("unconfirmed", ct);
        var (link, host, starts) = (probe.Link, probe.Host, probe.Starts);
        var publisher = host.Services.GetRequiredService<ConfirmedPublisher>();
        var log = host.Services.GetRequiredService<ProbeService.ProbeLog>();
        await publisher.PublishAsync(new ProbeService.Probe("before", Hang: false), ct);
        await Eventually.UntilAsync("a probe consumed before the link goes silent", () => Task.FromResult(log.Consumed.Contains("before")), TimeSpan.FromSeconds(30));

        // Nothing waits on the queue, so only the publishes can tell.
        link.Silence();
        await Assert.ThrowsAsync<PublishNotConfirmedException>(() => publisher.PublishAsync(new ProbeService.Probe("lost", Hang: false), ct));
        await Eventually.UntilAsync("the bus restarted", () => Task.FromResult(starts.Count >= 2), TimeSpan.FromSeconds(90));
        Assert.Equal(1, host.Services.GetRequiredService<MissingConsumerWatch>().Restarts);

        // The broker still lists the silent connection's consumer until its heartbeats run out, and gives it every
        // other message meanwhile: some of these go there, and return to the queue when that connection is dropped.
        for (var i = 0; i < 10; i++)
        {
            await publisher.PublishAsync(new ProbeService.Probe($"after {i}", Hang: false), ct);
        }

        await Eventually.UntilAsync("probes published after the restart, consumed", () => Task.FromResult(log.Consumed.Any(n => n.StartsWith("after ", StringComparison.Ordinal))),
            TimeSpan.FromSeconds(30));
        Assert.Null(host.Services.GetRequiredService<PublishConfirmations>().UnconfirmedSince);

        await host.StopAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30), ct);
    }

    [Fact(Timeout = 180_000)]
    public async Task A_restart_whose_stop_outlasts_its_limit_ends_the_service_with_a_failure_for_the_platform_to_start_it_again()
    {
        var ct = TestContext.Current.CancellationToken;
        var exit = new RecordedExit { Limit = TimeSpan.FromSeconds(1) };
        // The stop over a silent connection waits out the continuation timeout (2 s) for each channel it closes.
        await using var probe = await BehindSilentLinkAsync("giveup", ct, new() { ["Messaging:RestartStopLimit"] = "00:00:01" },
            services => services.AddSingleton<ServiceExit>(exit));
        var (link, host, starts) = (probe.Link, probe.Host, probe.Starts);
        var publisher = host.Services.GetRequiredService<ConfirmedPublisher>();

        link.Silence();
        await Assert.ThrowsAsync<PublishNotConfirmedException>(() => publisher.PublishAsync(new ProbeService.Probe("lost", Hang: false), ct));

        var reason = await exit.Failed.Task.WaitAsync(TimeSpan.FromSeconds(90), ct);
        Assert.Contains("did not stop within 00:00:01", reason, StringComparison.Ordinal);
        Assert.Equal(1, host.Services.GetRequiredService<MissingConsumerWatch>().Restarts);
        Assert.Equal(1, starts.Count); // given up, not started again on a bus that may still be stopping
        await Eventually.UntilAsync("the process ended after the exit's own limit", () => Task.FromResult(exit.ProcessEnded), TimeSpan.FromSeconds(30));
    }

    // Seconds instead of minutes; a stop over a silent connection waits out each operation's continuation timeout.
    private static Dictionary<string, string?> QuickWatch() => new()
    {
        ["Messaging:MissingConsumerGrace"] = "00:00:03",
        ["Messaging:QueueSampleInterval"] = "00:00:01",
        ["Messaging:PublishTimeout"] = "00:00:01",
        ["Messaging:ConsumerStopTimeout"] = "00:00:02",
        ["Messaging:StopTimeout"] = "00:00:04",
        ["Messaging:ContinuationTimeout"] = "00:00:02",
        ["Messaging:RestartStopLimit"] = "00:01:00",
    };

    /// <summary>A probe service on a virtual host of its own, connected through a <see cref="SilentLink"/>, consuming.</summary>
    private async Task<SilentProbe> BehindSilentLinkAsync(string name, CancellationToken ct, Dictionary<string, string?>? settings = null,
        Action<IServiceCollection>? services = null)
    {
        var (vhost, _) = fixture.NextIsolation(name);
        var broker = await fixture.Servers.CreateVirtualHostAsync(vhost, ct);
        var link = new SilentLink(new Uri(broker).Port);
        var starts = new BusStarts();
        var watch = QuickWatch();
        foreach (var (key, value) in settings ?? [])
        {
            watch[key] = value;
        }

        var host = ProbeService.Build(new UriBuilder(broker) { Port = link.Port }.Uri.ToString(), watch, s =>
        {
            s.AddBusObserver(_ => starts);
            services?.Invoke(s);
        });
        var probe = new SilentProbe(broker, link, host, starts);
        try
        {
            await host.StartConsumingAsync(ct);
            return probe;
        }
        catch
        {
            await probe.DisposeAsync();
            throw;
        }
    }

    private sealed record SilentProbe(string Broker, SilentLink Link, IHost Host, BusStarts Starts) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            Host.Dispose();
            await Link.DisposeAsync();
        }
    }

    /// <summary>Records the service's exit instead of ending the test process.</summary>
    private sealed class RecordedExit() : ServiceExit(new Microsoft.Extensions.Hosting.Internal.ApplicationLifetime(NullLogger<Microsoft.Extensions.Hosting.Internal.ApplicationLifetime>.Instance),
        NullLogger<ServiceExit>.Instance)
    {
        private int _ended;

        public TaskCompletionSource<string> Failed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public bool ProcessEnded => Volatile.Read(ref _ended) == 1;

        protected override void StopWithFailure(string reason) => Failed.TrySetResult(reason);

        protected override void EndProcess() => Interlocked.Exchange(ref _ended, 1);
    }

    private sealed class BusStarts : IBusObserver
    {
        private int _count;

        public int Count => Volatile.Read(ref _count);

        public void PostCreate(IBus bus)
        {
        }

        public void CreateFaulted(Exception exception)
        {
        }

        public Task PreStart(IBus bus) => Task.CompletedTask;

        public Task PostStart(IBus bus, Task<BusReady> busReady)
        {
            Interlocked.Increment(ref _count);
            return Task.CompletedTask;
        }

        public Task StartFaulted(IBus bus, Exception exception) => Task.CompletedTask;

        public Task PreStop(IBus bus) => Task.CompletedTask;

        public Task PostStop(IBus bus) => Task.CompletedTask;

        public Task StopFaulted(IBus bus, Exception exception) => Task.CompletedTask;
    }
}
