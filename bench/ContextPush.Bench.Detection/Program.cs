using ContextPush.PushFiles;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using ContextPush.Bench.Detection;
using ContextPush.DemoWarehouse;
using ContextPush.Detector;
using ContextPush.Detector.Detection;
using ContextPush.Detector.Runs;
using ContextPush.ServiceDefaults.Messaging;
using ContextPush.Detector.State;
using ContextPush.Detector.Telemetry;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;

// A detection pass over the demo warehouse at each size (15% in the cohort, 2% changed since the
// last run), next to a bare streaming read of the same cohort query through Npgsql, with the
// process's peak RSS during the pass. Usage: dotnet run -c Release --project bench/ContextPush.Bench.Detection [sizes…]
if (args is [BenchServers.ServeArgument])
{
    await BenchServers.ServeAsync();
    return;
}

var sizes = args.Length > 0 ? args.Select(a => int.Parse(a, CultureInfo.InvariantCulture)).ToArray() : [10_000, 100_000, 1_000_000];
await using var servers = await BenchServers.StartAsync();
var messaging = servers.Messaging;
var sink = 0L;
var bus = Bus.Factory.CreateUsingRabbitMq(cfg =>
{
    cfg.Host(new Uri(messaging));
    // Someone must consume the deltas, as the Assembler would: count and drop them.
    cfg.ReceiveEndpoint("bench-sink", e => e.Handler<ContextPush.Contracts.DeltaDetected>(_ =>
    {
        Interlocked.Increment(ref sink);
        return Task.CompletedTask;
    }));
});
await bus.StartAsync();

Console.WriteLine($"Machine: {Environment.ProcessorCount} cores, {GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1 << 30)} GiB, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, .NET {Environment.Version}");
Console.WriteLine();
Console.WriteLine("| accounts | cohort rows | deltas | bare read (ms) | publish only (ms) | detection pass (ms) | pass / (read + publish) | peak RSS during pass (MB) |");
Console.WriteLine("|---:|---:|---:|---:|---:|---:|---:|---:|");
// The first pass in a process pays for JIT compilation of the publish path; a small unreported pass takes it.
foreach (var (size, report) in sizes.Select(s => (s, true)).Prepend((2_000, false)))
{
    var database = await servers.CreateDatabaseAsync($"bench_{size}_{report}".ToLowerInvariant());
    await using var warehouse = NpgsqlDataSource.Create(database);
    await DemoWarehouseSeeder.SeedAsync(warehouse, size);
    // The Detector's own database on the same server, as the AppHost runs it: the cohort is copied there and diffed.
    await using var stateSource = NpgsqlDataSource.Create(await servers.CreateDatabaseAsync($"bench_{size}_{report}_detectordb".ToLowerInvariant()));
    var state = new DetectorState(stateSource);
    await stateSource.ApplySchemaAsync(TrackingSql.Schema, CancellationToken.None);
    var sources = new WarehouseSources(warehouse, state, new ConfigurationBuilder().Build(), NullLogger<WarehouseSources>.Instance);
    await sources.ReadyAsync(WarehouseSources.DefaultName, CancellationToken.None);
    var (push, error) = PushLoader.Load("churn-risk.yaml", File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "churn-risk.yaml")));
    if (error is not null)
    {
        throw new InvalidOperationException(error.ToString());
    }

    var runner = new PushRunner(sources, state, bus, new RunStore(state), new NoDetectionStages(),
        Options.Create(new DetectorOptions()), TimeProvider.System,
        new DetectorMetrics(new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<IMeterFactory>()), NullLogger<PushRunner>.Instance,
        new PublishConfirmations());
    var baseline = await runner.RunAsync(push!, "bench", NewId.NextGuid(), CancellationToken.None);
    if (baseline.Status != "succeeded")
    {
        throw new InvalidOperationException(baseline.Error);
    }

    await Demo.ChangeTwoPercentAsync(warehouse);
    var bare = await Demo.BareReadAsync(warehouse, push!.CohortSql);

    Memory.ResetPeak();
    var clock = Stopwatch.StartNew();
    var run = await runner.RunAsync(push, "bench", NewId.NextGuid(), CancellationToken.None);
    var pass = clock.Elapsed.TotalMilliseconds;
    var peak = Memory.PeakRssMegabytes();
    if (run.Status != "succeeded")
    {
        throw new InvalidOperationException(run.Error);
    }

    // The floor for publishing: the same number of deltas, batched the same way, with nothing else to do.
    var publish = await Demo.PublishOnlyAsync(bus, (int)run.DeltasEmitted, new DetectorOptions().PublishBatchSize);
    var ratio = pass / (bare.TotalMilliseconds + publish.TotalMilliseconds);
    if (!report)
    {
        continue;
    }

    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"| {size:N0} | {run.RowsRead:N0} | {run.DeltasEmitted:N0} | {bare.TotalMilliseconds:N0} | {publish.TotalMilliseconds:N0} | {pass:N0} | {ratio:0.00} | {peak:N0} |"));
}

await bus.StopAsync();
