using System.Globalization;
using ContextPush.Bench.Pipeline;
using ContextPush.Contracts;
using MassTransit;

// The whole pipeline (Detector, Assembler, Throttler, Dispatcher as separate Release processes on real
// RabbitMQ, PostgreSQL and Redis) against the bare MassTransit chain, in the same run.
// Usage: dotnet run -c Release --project bench/ContextPush.Bench.Pipeline -- [deltas] [--runs N] [--replicas service=N]…
var options = BenchOptions.Parse(args);
var report = new Report();
report.Line($"Machine: {Environment.ProcessorCount} cores, {GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1 << 30)} GiB, " +
    $"{System.Runtime.InteropServices.RuntimeInformation.OSDescription}, .NET {Environment.Version}");
report.Line($"Command: dotnet run -c Release --project bench/ContextPush.Bench.Pipeline -- {string.Join(' ', args)}");
report.Line($"Deltas per run: {options.Deltas:N0}; runs: {options.Runs}; replicas: {(options.Replicas.Count == 0 ? "one of each service" : string.Join(", ", options.Replicas.Select(r => $"{r.Key}={r.Value}")))}");

await using var servers = await BenchServers.StartAsync();
await using var slack = await SlackStandIn.StartAsync();
await using var telemetry = await TelemetrySink.StartAsync();
// Telemetry goes where a platform team's collector would take it; `--set OTEL_EXPORTER_OTLP_ENDPOINT=` measures without it.
var settings = new Dictionary<string, string>
{
    ["OTEL_EXPORTER_OTLP_ENDPOINT"] = telemetry.Endpoint.ToString(),
    ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
    ["OTEL_EXPORTER_OTLP_HEADERS"] = "",
};
foreach (var (key, value) in options.Settings)
{
    settings[key] = value;
}

await using var system = await BenchSystem.StartAsync(servers, slack, options.Deltas, BenchPushes.All(options.Runs, options.Deltas), options.Replicas, settings);
Console.Error.WriteLine("bench: servers and services are up");

var watch = new PipelineWatch();
var bus = Bus.Factory.CreateUsingRabbitMq(cfg =>
{
    cfg.Host(new Uri(servers.ConnectionStrings["messaging"]), h => h.PublisherConfirmation = true);
    cfg.ReceiveEndpoint("bench-watch", e =>
    {
        e.PrefetchCount = 256;
        e.Instance(watch);
    });
});
await bus.StartAsync();

// The warm-up run: every stage compiles its paths, and a copy of each stage's message is kept for the
// steady feed and for the sizes the bare chain must match.
var detected = new Captured<DeltaDetected>();
var assembled = new Captured<ContextAssembled>();
var approved = new Captured<DeliveryApproved>();
var delivered = new Captured<Delivered>();
var captures = new List<HostReceiveEndpointHandle>
{
    Capture(bus, "bench-capture-detected", detected),
    Capture(bus, "bench-capture-assembled", assembled),
    Capture(bus, "bench-capture-approved", approved),
    Capture(bus, "bench-capture-delivered", delivered),
};
foreach (var capture in captures)
{
    await capture.Ready;
}

await system.RunAsync(BenchPushes.Warmup);
await watch.UntilDeliveredAsync(BenchPushes.Warmup, BenchPushes.WarmupAccounts(options.Deltas), TimeSpan.FromMinutes(10));
foreach (var capture in captures)
{
    await capture.StopAsync();
}

int[] wireBytes = [detected.WireBytes, assembled.WireBytes, approved.WireBytes, delivered.WireBytes];
report.Line($"Message sizes on the wire (bytes): DeltaDetected {wireBytes[0]:N0}, ContextAssembled {wireBytes[1]:N0}, DeliveryApproved {wireBytes[2]:N0}, Delivered {wireBytes[3]:N0}");
Console.Error.WriteLine("bench: warmed up");

var slackCapacity = await slack.MeasureCapacityAsync(cardBytes: 4_000, TimeSpan.FromSeconds(3));

var groups = new ProcessGroups(system, servers);
var sql = new SqlProfile(servers.ConnectionStrings["postgres"]);
await sql.ResetAsync();
var exportedBefore = telemetry.Bytes;
using var sampling = new CancellationTokenSource();
var connections = sql.PeakConnectionsAsync(sampling.Token);
var runs = new List<RunResult>();
for (var run = 1; run <= options.Runs; run++)
{
    var push = BenchPushes.Measured(run);
    var before = groups.Cpu();
    var started = DateTimeOffset.UtcNow;
    var detection = await system.RunAsync(push);
    var deltas = detection.GetProperty("deltasEmitted").GetInt32();
    await watch.UntilDeliveredAsync(push, deltas, TimeSpan.FromMinutes(10));
    var seconds = (watch.LastDeliveredAt - started).TotalSeconds;
    var cpu = groups.Cpu().ToDictionary(g => g.Key, g => g.Value - before[g.Key]);
    runs.Add(new RunResult(deltas, seconds, cpu));
    Console.Error.WriteLine($"bench: run {run}: {deltas:N0} deltas in {seconds:0.0} s");
}

await sampling.CancelAsync();
var peakConnections = await connections;
var statements = await sql.ReadAsync();
var exported = telemetry.Bytes;
var measuredDeltas = runs.Sum(r => r.Deltas);
var bare = new List<BareChain.Result>();
for (var run = 1; run <= options.Runs; run++)
{
    bare.Add(await new BareChain { WireBytes = wireBytes, Messaging = servers.ConnectionStrings["messaging"] }
        .RunAsync(options.Deltas, () => ProcessUsage.CpuSeconds(servers.Processes("messaging"))));
    Console.Error.WriteLine($"bench: bare chain {run}: {bare[^1].EventsPerSecond:N0}/s");
}

var feed = new SteadyFeed(bus, [.. detected.Messages], watch);
var maximum = Report.Median(runs.Select(r => r.Deltas / r.Seconds));
var steady = await feed.RunAsync(50, TimeSpan.FromSeconds(20));
var loaded = await feed.RunAsync(Math.Max(50, Math.Round(0.8 * maximum)), TimeSpan.FromSeconds(20));
var peaks = groups.PeakRss();
await bus.StopAsync();

report.Throughput(runs, bare, slackCapacity);
report.Cpu(runs, groups.Names);
report.BareCpu(bare, options.Deltas);
report.Sql(statements, measuredDeltas);
report.Line("");
report.Line("Most connections open at once in the measured runs, by database: " +
    string.Join(", ", peakConnections.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => $"{c.Key} {c.Value}")) + ".");
report.Line("");
report.Line(string.Create(CultureInfo.InvariantCulture, $"Telemetry exported per delta (OTLP/HTTP protobuf, all services): traces {(exported.Traces - exportedBefore.Traces) / (double)measuredDeltas:N0} B, " +
    $"metrics {(exported.Metrics - exportedBefore.Metrics) / (double)measuredDeltas:N0} B, logs {(exported.Logs - exportedBefore.Logs) / (double)measuredDeltas:N0} B."));
report.Memory(peaks);
report.Latency([steady, loaded]);
report.Goals(runs, bare, steady, peaks);
Console.WriteLine(report);

static HostReceiveEndpointHandle Capture<T>(IBusControl bus, string queue, Captured<T> capture) where T : class =>
    bus.ConnectReceiveEndpoint(queue, e =>
    {
        if (e is IRabbitMqReceiveEndpointConfigurator rabbit)
        {
            // Gone with the warm-up: the measured runs pay for no extra queue.
            rabbit.AutoDelete = true;
            rabbit.Durable = false;
        }

        e.Instance(capture);
    });

internal sealed record RunResult(int Deltas, double Seconds, IReadOnlyDictionary<string, double> Cpu);
