using System.Globalization;
using System.Text;

namespace ContextPush.Bench.Pipeline;

/// <summary>The benchmark's report in Markdown: medians of the runs with their min and max, and each goal against its figure.</summary>
internal sealed class Report
{
    private readonly StringBuilder _text = new();

    public void Line(string line) => _text.AppendLine(line);

    public void Throughput(IReadOnlyList<RunResult> runs, IReadOnlyList<BareChain.Result> bare, double slackCapacity)
    {
        var pipeline = runs.Select(r => r.Deltas / r.Seconds).ToList();
        var chain = bare.Select(b => b.EventsPerSecond).ToList();
        Line("");
        Line("## Throughput (first detection to last Delivered)");
        Line("");
        Line("| | median | min | max |");
        Line("|---|---:|---:|---:|");
        Line(Row("pipeline, deltas/s", pipeline, "N0"));
        Line(Row("bare four-hop chain, events/s", chain, "N0"));
        Line(Row("pipeline / bare", [.. pipeline.Zip(chain, (p, b) => p / b)], "0.00"));
        Line(Row("seconds per run (pipeline)", [.. runs.Select(r => r.Seconds)], "0.0"));
        Line("");
        Line(Invariant($"The Slack stand-in alone took {slackCapacity:N0} card posts/s in the same run (16 clients, 4 kB cards)."));
    }

    public void Cpu(IReadOnlyList<RunResult> runs, IReadOnlyList<string> names)
    {
        Line("");
        Line("## CPU per run (user + system seconds, median of the runs) and per delta");
        Line("");
        Line("| process | CPU s (median) | min | max | ms per delta |");
        Line("|---|---:|---:|---:|---:|");
        foreach (var name in names)
        {
            var seconds = runs.Select(r => r.Cpu[name]).ToList();
            Line(Invariant($"| {name} | {Median(seconds):0.00} | {seconds.Min():0.00} | {seconds.Max():0.00} | {Median(runs.Select(r => r.Cpu[name] * 1000 / r.Deltas)):0.00} |"));
        }

        Line(Invariant($"| **all services** | {Median(runs.Select(ServicesCpu)):0.00} | | | **{Median(runs.Select(r => ServicesCpu(r) * 1000 / r.Deltas)):0.00}** |"));
    }

    public void BareCpu(IReadOnlyList<BareChain.Result> bare, int events)
    {
        Line("");
        Line(Invariant($"The bare chain's four stages (all in the benchmark process) used {Median(bare.Select(b => b.BenchCpuSeconds * 1000 / events)):0.00} ms of CPU per event, RabbitMQ {Median(bare.Select(b => b.BrokerCpuSeconds * 1000 / events)):0.00} ms (medians)."));
    }

    public void Sql(IReadOnlyList<SqlProfile.Statement> statements, int deltas)
    {
        Line("");
        Line("## SQL per delta in the measured runs (pg_stat_statements)");
        Line("");
        Line("| database | statements per delta | ms per delta |");
        Line("|---|---:|---:|");
        foreach (var database in statements.GroupBy(s => s.Database).OrderByDescending(g => g.Sum(s => s.Calls)))
        {
            Line(Invariant($"| {database.Key} | {database.Sum(s => s.Calls) / (double)deltas:0.00} | {database.Sum(s => s.Milliseconds) / deltas:0.000} |"));
        }

        Line("");
        Line("| database | calls per delta | statement |");
        Line("|---|---:|---|");
        foreach (var statement in statements.Take(15))
        {
            var query = statement.Query.Length > 110 ? statement.Query[..110] + "…" : statement.Query;
            Line(Invariant($"| {statement.Database} | {statement.Calls / (double)deltas:0.00} | `{query.Replace("|", "\\|", StringComparison.Ordinal)}` |"));
        }
    }

    public void Memory(IReadOnlyDictionary<string, double> peaks)
    {
        Line("");
        Line("## Peak RSS per service (VmHWM of its largest replica, MB)");
        Line("");
        Line("| service | peak RSS (MB) |");
        Line("|---|---:|");
        foreach (var (service, megabytes) in peaks)
        {
            Line(Invariant($"| {service} | {megabytes:N0} |"));
        }
    }

    public void Latency(IReadOnlyList<SteadyFeed.Latencies> phases)
    {
        Line("");
        Line("## DeltaDetected → Delivered at a steady rate (ms)");
        Line("");
        Line("| rate (deltas/s) | deltas | p50 | p95 | p99 | max |");
        Line("|---:|---:|---:|---:|---:|---:|");
        foreach (var l in phases)
        {
            Line(Invariant($"| {l.Rate:N0} | {l.Deltas:N0} | {l.P50:N0} | {l.P95:N0} | {l.P99:N0} | {l.Max:N0} |"));
        }
    }

    public void Goals(IReadOnlyList<RunResult> runs, IReadOnlyList<BareChain.Result> bare, SteadyFeed.Latencies steady, IReadOnlyDictionary<string, double> peaks)
    {
        var rate = Median(runs.Select(r => r.Deltas / r.Seconds));
        var ratio = rate / Median(bare.Select(b => b.EventsPerSecond));
        var cpu = Median(runs.Select(r => ServicesCpu(r) * 1000 / r.Deltas));
        var rss = peaks.Values.Max();
        Line("");
        Line("## Goals");
        Line("");
        Line("| goal | measured | met |");
        Line("|---|---:|:---:|");
        Line(Goal("pipeline ≥ 0.5 × bare chain", $"{ratio:0.00} ×", ratio >= 0.5));
        Line(Goal("≥ 1,000 deltas/s end to end", $"{rate:N0}/s", rate >= 1_000));
        Line(Goal("≤ 2 ms CPU per delta, all services", $"{cpu:0.00} ms", cpu <= 2));
        Line(Goal("p99 DeltaDetected → Delivered < 100 ms at 50/s", $"{steady.P99:N0} ms", steady.P99 < 100));
        Line(Goal("< 250 MB RSS per service", $"{rss:N0} MB", rss < 250));
    }

    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    public override string ToString() => _text.ToString();

    private static double ServicesCpu(RunResult run) => ProcessGroups.Stages.Sum(s => run.Cpu[s]);

    private static string Goal(string goal, string measured, bool met) => $"| {goal} | {measured} | {(met ? "yes" : "no")} |";

    private static string Row(string label, IReadOnlyList<double> values, string format) =>
        $"| {label} | {Median(values).ToString(format, CultureInfo.InvariantCulture)} | {values.Min().ToString(format, CultureInfo.InvariantCulture)} | {values.Max().ToString(format, CultureInfo.InvariantCulture)} |";

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
