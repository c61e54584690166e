using System.Text.Json;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using ContextPush.EndToEndTests.Dashboard;
using ContextPush.Testing.Servers;
using Microsoft.Extensions.DependencyInjection;

namespace ContextPush.EndToEndTests.AppHost;

/// <summary>The AppHost's model as the services see it: Aspire's environment contract, the start order its WaitFor calls set, its commands.</summary>
[Collection(DashboardCollection.Name)]
public class AppHostTests(DashboardContextPush shared)
{
    [Fact]
    public void Each_service_process_receives_Aspires_environment_and_starts_only_after_what_it_waits_for_is_healthy()
    {
        var system = shared.System;
        var app = system.App;

        var dispatcher = ProcessTree.Environment(system.ProcessId("dispatcher"));
        Assert.Equal(system.ConnectionString("messaging"), dispatcher["ConnectionStrings__messaging"]);
        Assert.EndsWith("/" + system.Prefix, dispatcher["ConnectionStrings__messaging"]);
        Assert.Contains($"Database={system.Prefix}_dispatcherdb", dispatcher["ConnectionStrings__dispatcherdb"]);
        Assert.Equal(app.GetEndpoint("callbacks", "http").ToString().TrimEnd('/'), dispatcher["services__callbacks__http__0"].TrimEnd('/'));
        Assert.Equal("dispatcher", dispatcher["OTEL_SERVICE_NAME"]);
        Assert.StartsWith("http://", dispatcher["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        Assert.False(dispatcher.ContainsKey("ConnectionStrings__warehouse")); // only what it references
        Assert.Equal(RunningContextPush.LinkKey, dispatcher["ActionLinks__Key"]);

        var throttler = ProcessTree.Environment(system.ProcessId("throttler"));
        // No warehouse: each delta brings its history from the Detector.
        Assert.Equal(["ConnectionStrings__cache", "ConnectionStrings__messaging", "ConnectionStrings__throttlerdb"],
            throttler.Keys.Where(k => k.StartsWith("ConnectionStrings__", StringComparison.Ordinal)).Order());
        Assert.Contains(",defaultDatabase=", throttler["ConnectionStrings__cache"]);

        // The Detector starts only once every consumer was reported healthy, so no delta is published to a queue not yet there.
        foreach (var consumer in new[] { "callbacks", "dispatcher", "throttler", "assembler" })
        {
            var healthy = system.Timeline.FirstHealthy(consumer);
            var started = system.Timeline.Started("detector");
            Assert.True(healthy >= 0 && started > healthy, $"the detector started (change {started}) before {consumer} was healthy (change {healthy})");
        }
    }

    [Fact]
    public async Task Run_pushes_now_is_a_command_on_the_detector_resource_and_runs_every_push()
    {
        var system = shared.System;
        var commands = system.App.Services.GetRequiredService<ResourceCommandService>();
        const string RunsSql = "SELECT count(*) FROM contextpush.push_runs WHERE status = 'succeeded'";
        var before = await RunsAsync(system);

        var result = await commands.ExecuteCommandAsync("detector", "run-pushes", TestContext.Current.CancellationToken);

        Assert.True(result.Success, result.Message);
        await Eventually.UntilAsync("one more succeeded run of the push after the command", async () => await RunsAsync(system) == before + 1);

        // The runs are recorded in the Detector's own database; the warehouse is only read.
        Assert.False(await system.ScalarAsync<bool>("warehouse", "SELECT to_regnamespace('contextpush') IS NOT NULL"));

        static Task<long> RunsAsync(RunningContextPush system) => system.ScalarAsync<long>("detectordb", RunsSql);
    }

    [Fact]
    public async Task Replay_error_queue_is_a_command_on_each_consuming_service_that_counts_in_a_dry_run_and_moves_what_matches()
    {
        var system = shared.System;
        var commands = system.App.Services.GetRequiredService<ResourceCommandService>();
        var ct = TestContext.Current.CancellationToken;
        var poison = TestMessages.Poison(RunningContextPush.PushId);
        await shared.Observer.Publisher.Publish(poison, ct);

        async Task<JsonElement> ReplayAsync(bool dryRun)
        {
            var result = await commands.ExecuteCommandAsync("assembler", "replay-error-queue", new InteractionInputCollection(
            [
                new InteractionInput { Name = "push", InputType = InputType.Text, Value = RunningContextPush.PushId },
                new InteractionInput { Name = "deltaId", InputType = InputType.Text, Value = poison.DeltaId.ToString() },
                new InteractionInput { Name = "dryRun", InputType = InputType.Boolean, Value = dryRun ? "true" : "false" },
            ]), ct);
            Assert.True(result.Success, result.Message);
            return JsonDocument.Parse(result.Data!.Value).RootElement.Clone();
        }

        await Eventually.UntilAsync("the poison delta parked in the Assembler's error queue", async () => (await ReplayAsync(dryRun: true)).GetProperty("matched").GetInt32() == 1);
        var counted = await ReplayAsync(dryRun: true);
        Assert.Equal(0, counted.GetProperty("moved").GetInt32());

        var moved = await ReplayAsync(dryRun: false);
        Assert.Equal((1, 1), (moved.GetProperty("matched").GetInt32(), moved.GetProperty("moved").GetInt32()));
        // Still poison: it is tried again and parked again, not lost.
        await Eventually.UntilAsync("the replayed poison parked again", async () => (await ReplayAsync(dryRun: true)).GetProperty("matched").GetInt32() == 1);
        foreach (var service in new[] { "throttler", "dispatcher", "callbacks" })
        {
            Assert.Contains(system.App.Services.GetRequiredService<DistributedApplicationModel>().Resources.Single(r => r.Name == service).Annotations
                .OfType<ResourceCommandAnnotation>(), c => c.Name == "replay-error-queue");
        }
    }
}
