using System.Text;
using ContextPush.AppHost.Hosting;
using ContextPush.Contracts;
using ContextPush.LocalServers;

namespace ContextPush.IntegrationTests.AppHost;

/// <summary>The AppHost's contract with the services (Aspire's environment conventions) and its care of their processes.</summary>
public class AppHostTests(ServersFixture fixture)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Each_service_process_receives_Aspires_environment_and_starts_only_after_what_it_waits_for_is_healthy()
    {
        await using var system = await RunningContextPush.StartAsync(fixture, "apphost");
        var app = system.App;

        var dispatcher = Environ(app.Project("dispatcher").Instances[0]);
        Assert.StartsWith("amqp://guest:guest@127.0.0.1:", dispatcher["ConnectionStrings__messaging"]);
        Assert.EndsWith("/" + system.Prefix, dispatcher["ConnectionStrings__messaging"]);
        Assert.Contains($"Database={system.Prefix}_dispatcherdb", dispatcher["ConnectionStrings__dispatcherdb"]);
        Assert.Equal(app.Project("callbacks").Instances[0].Url.ToString(), dispatcher["services__callbacks__http__0"]);
        Assert.Equal("dispatcher", dispatcher["OTEL_SERVICE_NAME"]);
        Assert.StartsWith("service.instance.id=dispatcher-", dispatcher["OTEL_RESOURCE_ATTRIBUTES"]);
        Assert.Equal(app.OtlpEndpoint!.ToString(), dispatcher["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        Assert.Equal("http/protobuf", dispatcher["OTEL_EXPORTER_OTLP_PROTOCOL"]);
        Assert.Equal($"http://127.0.0.1:{app.Project("dispatcher").Instances[0].Port}", dispatcher["ASPNETCORE_URLS"]);
        Assert.Equal("Development", dispatcher["ASPNETCORE_ENVIRONMENT"]);
        Assert.Equal("simple", dispatcher["LOGGING__CONSOLE__FORMATTERNAME"]);
        Assert.False(dispatcher.ContainsKey("ConnectionStrings__warehouse")); // only what it references

        var throttler = Environ(app.Project("throttler").Instances[0]);
        Assert.Equal(["ConnectionStrings__cache", "ConnectionStrings__messaging", "ConnectionStrings__throttlerdb", "ConnectionStrings__warehouse"],
            throttler.Keys.Where(k => k.StartsWith("ConnectionStrings__", StringComparison.Ordinal)).Order());
        Assert.Contains(",defaultDatabase=", throttler["ConnectionStrings__cache"]);

        // Each service's first line of output comes after the AppHost saw what it waits for healthy.
        var log = await File.ReadAllLinesAsync(system.LogFile, TestContext.Current.CancellationToken);
        int Healthy(string name) => Array.FindIndex(log, l => l.StartsWith($"[apphost] {name} is running at", StringComparison.Ordinal));
        int FirstOutput(string name) => Array.FindIndex(log, l => l.StartsWith($"[{name}] ", StringComparison.Ordinal));
        foreach (var (service, waitsFor) in new[] { ("dispatcher", "callbacks"), ("throttler", "dispatcher"), ("assembler", "throttler"), ("detector", "assembler") })
        {
            Assert.True(Healthy(waitsFor) >= 0 && Healthy(waitsFor) < FirstOutput(service), $"{service} started before {waitsFor} was healthy");
        }
    }

    [Fact]
    public async Task A_killed_service_is_restarted_with_the_crash_shown_and_stopping_leaves_no_process_behind()
    {
        var system = await RunningContextPush.StartAsync(fixture, "restart");
        try
        {
            var assembler = system.App.Project("assembler").Instances[0];
            var before = assembler.ProcessId;

            assembler.Kill();
            await WaitUntilAsync(() => assembler.Restarts == 1 && assembler.ProcessId is { } pid && pid != before);
            await assembler.WaitHealthyAsync("/health", Patience, TestContext.Current.CancellationToken);

            Assert.Contains((await File.ReadAllLinesAsync(system.LogFile, TestContext.Current.CancellationToken)),
                l => l.StartsWith("[assembler] *** exited with code", StringComparison.Ordinal) && l.Contains("restarting in 1s", StringComparison.Ordinal));
            await using var observer = await MessageObserver.StartAsync(system.ConnectionString("messaging"));
            var delta = TestMessages.Delta("restart", "3");
            await observer.Publisher.Publish(delta, TestContext.Current.CancellationToken);
            await observer.WaitForAsync<ContextAssembled>(m => m.DeltaId == delta.DeltaId, Patience); // the restarted Assembler works
        }
        finally
        {
            var processes = system.App.Resources.OfType<ProjectResource>().SelectMany(p => p.Instances)
                .Select(i => i.ProcessId).OfType<int>().SelectMany(pid => ServerProcesses.Descendants(pid).Prepend(pid)).ToList();
            Assert.Equal(5, system.App.Resources.OfType<ProjectResource>().Count());
            await system.DisposeAsync();
            Assert.All(processes, pid => Assert.False(ServerProcesses.IsAlive(pid), $"process {pid} ({ServerProcesses.CommandName(pid)}) was left running"));
        }
    }

    /// <summary>The environment the process really has, from /proc: what the service received, not what we meant to give it.</summary>
    private static Dictionary<string, string> Environ(ServiceInstance instance)
    {
        var raw = File.ReadAllBytes($"/proc/{instance.ProcessId}/environ");
        return Encoding.UTF8.GetString(raw).Split('\0', StringSplitOptions.RemoveEmptyEntries)
            .Select(e => e.Split('=', 2)).Where(p => p.Length == 2).GroupBy(p => p[0]).ToDictionary(g => g.Key, g => g.Last()[1]);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not reached in time");
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }
    }
}
