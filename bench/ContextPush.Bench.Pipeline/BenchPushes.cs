namespace ContextPush.Bench.Pipeline;

/// <summary>
/// The benchmark's pushes over the demo warehouse: each a new push whose first run sends a card for every
/// account in its cohort, with the default context (owner and tickets from the warehouse) and the default
/// priority rule (which passes an account with too little history, as every account has here).
/// </summary>
internal static class BenchPushes
{
    public const string Warmup = "bench-warmup";

    /// <summary>
    /// As many deltas as a measured run, up to 10,000: with fewer, the first measured run was a third
    /// slower than the next ones (the services' hot paths were not all tier-1 compiled yet).
    /// </summary>
    public static int WarmupAccounts(int deltas) => Math.Min(deltas, 10_000);

    public static string Measured(int run) => $"bench-run-{run}";

    public static Dictionary<string, string> All(int runs, int deltas) => Enumerable.Range(1, runs)
        .ToDictionary(Measured, run => Push(Measured(run), ""))
        .Append(new(Warmup, Push(Warmup, $"ORDER BY a.id LIMIT {WarmupAccounts(deltas)}")))
        .ToDictionary();

    /// <summary>
    /// A cap of a millisecond, not days: the steady feed sends the warm-up's deltas again under new ids,
    /// and each must be decided and delivered as a first card would be.
    /// </summary>
    private static string Push(string id, string limit) => $"""
        id: {id}
        description: The pipeline benchmark's {id}
        cohort: |
          SELECT a.id AS account_id, a.churn_probability, a.usage_drop
          FROM accounts a {limit}
        key: [account_id]
        metrics:
          - name: churn_probability
            format: percent
            tolerance: 0.05
          - name: usage_drop
            format: percent
            tolerance: 0.05
        schedule: "0 8 * * *"
        first_run: send
        context:
          ticket_count: 3
        throttle:
          frequency: 1ms
        delivery:
          slack:
            channel: C0BENCH
        """;
}
