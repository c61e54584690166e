namespace ContextPush.Bench.Pipeline;

/// <summary>
/// The benchmark's pushes over the demo warehouse: each a new push whose first run sends a card for every
/// account in its cohort, with the default context (owner and tickets from the warehouse) and the default
/// priority rule (which passes an account with too little history, as every account has here).
/// </summary>
internal static class BenchPushes
{
    public const string Warmup = "bench-warmup";

    public const int WarmupAccounts = 1_000;

    public static string Measured(int run) => $"bench-run-{run}";

    public static Dictionary<string, string> All(int runs) => Enumerable.Range(1, runs)
        .ToDictionary(Measured, run => Push(Measured(run), ""))
        .Append(new(Warmup, Push(Warmup, $"ORDER BY a.id LIMIT {WarmupAccounts}")))
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
