namespace ContextPush.Bench.Pipeline;

/// <summary>The processes whose CPU and memory the report gives: each service (all its replicas), each server, and the benchmark itself.</summary>
internal sealed class ProcessGroups(BenchSystem system, BenchServers servers)
{
    public static readonly string[] Stages = ["detector", "assembler", "throttler", "dispatcher", "callbacks"];

    public IReadOnlyList<string> Names { get; } = [.. Stages, .. BenchServers.Names, "orchestrator", "benchmark"];

    private IReadOnlyList<int> Processes(string name) => name switch
    {
        "benchmark" => [Environment.ProcessId],
        // Aspire's DCP, which runs the processes and carries their console output: a local run's cost, not a cluster's.
        "orchestrator" => ProcessUsage.Named("dcp"),
        _ when BenchServers.Names.Contains(name) => servers.Processes(name),
        _ => system.Processes(name),
    };

    public Dictionary<string, double> Cpu() => Names.ToDictionary(n => n, n => ProcessUsage.CpuSeconds(Processes(n)));

    /// <summary>Each service's largest peak resident set among its replicas, in MB.</summary>
    public Dictionary<string, double> PeakRss() => Stages.ToDictionary(n => n, n => ProcessUsage.PeakRssMegabytes(Processes(n)));
}
