using System.Globalization;
using System.Text.Json;
using ContextPush.Testing.Servers;

namespace ContextPush.EndToEndTests.Faults;

/// <summary>
/// One scenario: a poison in every queue, a run of the scenario's push that sends a card for each of
/// the warehouse's accounts, the fault while they stream, and the checks every scenario shares.
/// </summary>
public sealed class FaultScenario(FaultSuiteContextPush suite, string scenario)
{
    private static readonly TimeSpan Drain = TimeSpan.FromMinutes(5);

    public string PushId { get; } = FaultSuiteContextPush.PushId(scenario);

    public string RunId { get; private set; } = "";

    /// <summary>The scenario's first run, which a fault may have cut short.</summary>
    public string FirstRunId { get; private set; } = "";

    public DateTimeOffset FaultStarted { get; private set; }

    public DateTimeOffset FaultEnded { get; private set; }

    /// <summary>What the scenario saw beyond the counts, e.g. exit codes.</summary>
    public System.Collections.Concurrent.ConcurrentQueue<string> Notes { get; } = new();

    private Task<int>? _clicking;
    private int _clicksAgain;
    private int _restartsBefore;
    private int _detectorRestartsRunAgain;

    public void Begin() => FaultStarted = DateTimeOffset.UtcNow;

    public void End() => FaultEnded = DateTimeOffset.UtcNow;

    /// <summary>
    /// Clicks "Mark as reviewed" on the push's cards, one after another, until the fault has ended, so
    /// Callbacks and the feedback loop are mid-stream too; a click that fails is clicked again, as a
    /// person would. The scenario then checks each click was recorded once and reached the Throttler.
    /// </summary>
    public void StartClicking() => _clicking = Task.Run(async () =>
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var interactions = new Uri(suite.System.Url("callbacks"), "/slack/interactions");
        var clicked = 0;
        while (FaultEnded == default)
        {
            if (suite.Ledger.ReviewButtons(PushId) is { } buttons && buttons.Count > clicked)
            {
                await ClickUntilAnsweredAsync(http, interactions, buttons[clicked]);
                clicked++;
            }

            await Task.Delay(100); // a person's pace, not a wait for the system
        }

        return clicked;
    });

    private async Task ClickUntilAnsweredAsync(HttpClient http, Uri interactions, string button)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
        while (true)
        {
            try
            {
                using var click = ContextPush.Testing.Fakes.SlackInteractionRequest.BlockActions(interactions, RunningContextPush.SigningSecret, "U0FAULTS", "mark_reviewed", button, "1700000000.000001");
                using var response = await http.SendAsync(click);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }

                Assert.True((int)response.StatusCode >= 500, $"a click refused with {(int)response.StatusCode}");
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // The replica behind the address died with the click: the person clicks again.
            }

            Interlocked.Increment(ref _clicksAgain);
            Assert.True(DateTime.UtcNow < deadline, $"a click on a card of {PushId} was never answered");
            // A person clicks again a moment later: a new request with a new timestamp, never a byte-for-byte
            // copy of the one that failed, which Callbacks rightly refuses as a replay.
            await Task.Delay(1_100);
        }
    }

    /// <summary>
    /// Runs the push again, as its next scheduled run would: a run skipped because the killed run's
    /// warehouse session still holds the push's lock (until PostgreSQL notices its client is gone) is
    /// followed by another.
    /// </summary>
    public Task RunAgainAsync() => Eventually.UntilAsync($"a run of {PushId} that is not skipped", async () =>
    {
        RunId = await suite.StartRunAsync(scenario);
        var run = await Eventually.GetAsync($"run {RunId} of {PushId} past its start",
            () => suite.RunAsync(scenario, RunId), r => r.ValueKind == JsonValueKind.Object && r.GetProperty("status").GetString() != "running");
        return run.GetProperty("status").GetString() != "skipped";
    }, TimeSpan.FromMinutes(2));

    public Task CardsAtLeastAsync(int count) => Eventually.UntilAsync($"{count} cards of {PushId}",
        () => Task.FromResult(suite.Ledger.Cards(PushId).Count >= count), TimeSpan.FromMinutes(3));

    /// <summary>Waits until the push's cohort query is running in the warehouse: the Detector is mid-run.</summary>
    public Task CohortQueryRunningAsync() => Eventually.UntilAsync($"{PushId}'s cohort query running", async () =>
        await suite.System.ScalarAsync<long>("warehouse",
            "SELECT count(*) FROM pg_stat_activity WHERE state = 'active' AND query LIKE '%pg_sleep(0.006 + %' AND pid <> pg_backend_pid()") > 0);

    public async Task<string?> StatusOfAsync(string runId) => (await suite.RunAsync(scenario, runId)) is { ValueKind: JsonValueKind.Object } run
        ? run.GetProperty("status").GetString()
        : null;

    public async Task<FaultReport> RunAsync(Func<FaultScenario, Task> fault)
    {
        await suite.Instances.EnsureRunningAsync(RunningContextPush.Services);
        _restartsBefore = suite.Instances.SelfRestarts.Count;
        await suite.PoisonEveryQueueAsync();
        var started = DateTimeOffset.UtcNow;
        RunId = FirstRunId = await suite.StartRunAsync(scenario);
        await fault(this);
        var ledger = suite.Ledger;
        try
        {
            await Eventually.UntilAsync($"a card for each of the {FaultSuiteContextPush.Accounts} accounts of {PushId}", async () =>
            {
                await RunAgainAfterDetectorRestartAsync();
                return ledger.Cards(PushId).Select(c => c.AccountKey).Distinct().Count() >= FaultSuiteContextPush.Accounts;
            }, Drain);
        }
        catch (Xunit.Sdk.XunitException stalled)
        {
            // A stall is rare and costly to reproduce: say where the missing deltas are.
            throw new Xunit.Sdk.XunitException($"{stalled.Message}; {ledger.Cards(PushId).Count} cards; run {await StatusOfAsync(RunId)}; queues: {await QueueSnapshotAsync()}");
        }
        await suite.System.WaitUntilIdleAsync(TimeSpan.FromMinutes(2));
        await Eventually.UntilAsync("no card waiting for a redelivery", async () =>
            await suite.System.ScalarAsync<long>("dispatcherdb", "SELECT count(*) FROM redeliveries") == 0);

        var clicks = _clicking is null ? 0 : await _clicking;
        if (_clicking is not null)
        {
            Notes.Enqueue($"{clicks} cards marked reviewed ({_clicksAgain} clicks repeated after a failure)");
        }

        foreach (var restart in SelfRestarts)
        {
            Notes.Enqueue(restart.ToString());
        }

        var cards = ledger.Cards(PushId);
        var posted = ledger.PostedAt().Where(t => t >= started).ToList();
        var report = new FaultReport(
            scenario,
            Expected: FaultSuiteContextPush.Accounts,
            Delivered: cards.Select(c => c.AccountKey).Distinct().Count(),
            Doubled: cards.Count - cards.Select(c => c.DeltaId).Distinct().Count(),
            Unexpected: ledger.Outside(FaultSuiteContextPush.Scenarios.Select(FaultSuiteContextPush.PushId).ToHashSet())
                + cards.Select(c => c.DeltaId).Distinct().Count() - cards.Select(c => c.AccountKey).Distinct().Count(),
            Decisions: await suite.System.ScalarAsync<long>("throttlerdb", "SELECT count(*) FROM decisions WHERE push_id = @push", ("push", PushId)),
            FaultLasted: FaultEnded - FaultStarted,
            Recovery: posted.FirstOrDefault(t => t >= FaultEnded, FaultEnded) - FaultEnded,
            LongestGap: posted.Zip(posted.Skip(1), (a, b) => b - a).DefaultIfEmpty().Max(),
            Total: posted[^1] - started,
            Notes: string.Join("; ", Notes));
        report.Write();

        if (_clicking is not null)
        {
            Assert.True(clicks > 0, "no card was clicked while the fault lasted");
            Assert.Equal(clicks, await suite.System.ScalarAsync<long>("callbacksdb",
                "SELECT count(*) FROM card_actions WHERE push_id = @push AND published", ("push", PushId)));
            await Eventually.UntilAsync($"the {clicks} reviews fed back to the Throttler", async () => await suite.System.ScalarAsync<long>("throttlerdb",
                "SELECT count(*) FROM suppressions WHERE push_id = @push", ("push", PushId)) == clicks);
        }

        Assert.Equal(0, report.Unexpected);
        Assert.Equal(0, report.Doubled);
        Assert.Equal(report.Expected, report.Delivered);
        Assert.Equal(report.Expected, cards.Count);
        Assert.Equal(report.Expected, report.Decisions);
        // Asked until answered: the first request after a PostgreSQL restart in an earlier scenario can meet a
        // pooled session that died with it (a 500 once), as a person asking would.
        var run = await Eventually.GetAsync($"run {RunId} of {PushId} recorded", () => suite.RunAsync(scenario, RunId), r => r.ValueKind == JsonValueKind.Object);
        Assert.Equal("succeeded", run.GetProperty("status").GetString());
        await ErrorQueuesHoldOnlyThePoisonAsync();
        return report;
    }

    private IEnumerable<SelfRestart> SelfRestarts => suite.Instances.SelfRestarts.Skip(_restartsBefore);

    /// <summary>
    /// A Detector that gave up mid-run and exited (a bus whose restart could not stop) lost that run; once the
    /// platform has started it again, its schedule runs the push again, as <see cref="RunAgainAsync"/> does.
    /// </summary>
    private async Task RunAgainAfterDetectorRestartAsync()
    {
        var restarted = SelfRestarts.Count(r => r.Service == "detector" && r.Failure is null);
        if (restarted > _detectorRestartsRunAgain)
        {
            _detectorRestartsRunAgain = restarted;
            if (await StatusOfAsync(RunId) != "succeeded")
            {
                await RunAgainAsync();
            }
        }
    }

    /// <summary>Every non-empty queue, and every work queue left without a consumer, with its ready, unacknowledged and consumer counts.</summary>
    private async Task<string> QueueSnapshotAsync()
    {
        using var management = new RabbitMqManagement(suite.System.Servers.MessagingManagement);
        using var listing = JsonDocument.Parse(await management.GetJsonAsync($"api/queues/{Uri.EscapeDataString(suite.System.Prefix)}", CancellationToken.None));
        long Figure(JsonElement q, string name) => q.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetInt64() : 0;
        return string.Join(", ", listing.RootElement.EnumerateArray()
            .Where(q => Figure(q, "messages") > 0 || (Figure(q, "consumers") == 0 && !q.GetProperty("name").GetString()!.Contains('_', StringComparison.Ordinal)))
            .Select(q => $"{q.GetProperty("name").GetString()} ready={Figure(q, "messages_ready")} unacked={Figure(q, "messages_unacknowledged")} consumers={Figure(q, "consumers")}"));
    }

    private async Task ErrorQueuesHoldOnlyThePoisonAsync()
    {
        using var management = new RabbitMqManagement(suite.System.Servers.MessagingManagement);
        string Describe(Dictionary<string, long> held) => string.Join(", ", held.Select(q => $"{q.Key}={q.Value}"));
        var expected = suite.Poisons.Where(p => p.Value > 0).ToDictionary(p => p.Key + "_error", p => (long)p.Value);
        Dictionary<string, long> held = [];
        try
        {
            // Counted by the poison's own message id: a poison being moved to its error queue when the broker
            // stops is moved again after the restart, and its second copy is the same poison, not a parked card.
            await Eventually.UntilAsync("the error queues holding the poison messages and nothing else", async () =>
            {
                using var listing = JsonDocument.Parse(await management.GetJsonAsync($"api/queues/{Uri.EscapeDataString(suite.System.Prefix)}", CancellationToken.None));
                var queues = listing.RootElement.EnumerateArray()
                    .Select(q => (Name: q.GetProperty("name").GetString()!, Count: q.TryGetProperty("messages", out var m) ? m.GetInt64() : 0))
                    .Where(q => q.Count > 0 && (q.Name.EndsWith("_error", StringComparison.Ordinal) || q.Name.EndsWith("_skipped", StringComparison.Ordinal)))
                    .ToList();
                held = [];
                foreach (var (name, count) in queues)
                {
                    var poisons = new HashSet<string>();
                    foreach (var message in (await management.PeekAsync(suite.System.Prefix, name, (int)count + 10, CancellationToken.None)).EnumerateArray())
                    {
                        var payload = message.GetProperty("payload").GetString() ?? "";
                        // Anything but a poison counts on its own, so a parked card always fails the check.
                        poisons.Add(payload.Contains("not-a-delta-id", StringComparison.Ordinal)
                            ? JsonDocument.Parse(payload).RootElement.GetProperty("messageId").GetString()!
                            : Guid.NewGuid().ToString());
                    }

                    held[name] = poisons.Count;
                }

                return held.Count == expected.Count && held.All(q => expected.GetValueOrDefault(q.Key) == q.Value);
            }, TimeSpan.FromSeconds(30));
        }
        catch (Xunit.Sdk.XunitException)
        {
            throw new Xunit.Sdk.XunitException($"error queues hold [{Describe(held)}]; the poison sent was [{Describe(expected)}]");
        }
    }
}

/// <summary>What one scenario gave: the counts the note reports and the recovery it took.</summary>
public sealed record FaultReport(string Scenario, int Expected, int Delivered, int Doubled, int Unexpected, long Decisions,
    TimeSpan FaultLasted, TimeSpan Recovery, TimeSpan LongestGap, TimeSpan Total, string Notes)
{
    public int Lost => Expected - Delivered;

    public void Write()
    {
        var line = string.Create(CultureInfo.InvariantCulture,
            $"| {Scenario} | {Expected} | {Delivered} | {Doubled} | {Lost} | {Unexpected} | {Decisions} | {FaultLasted.TotalSeconds:0.0} s | {Recovery.TotalSeconds:0.0} s | {LongestGap.TotalSeconds:0.0} s | {Total.TotalSeconds:0.0} s | {Notes} |");
        TestContext.Current.TestOutputHelper?.WriteLine(line);
        var file = Path.Combine(AppContext.BaseDirectory, "test-artifacts", "fault-suite.md");
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        if (!File.Exists(file))
        {
            File.WriteAllText(file, "| scenario | expected | delivered | doubled | lost | unexpected | decisions | fault | recovery | longest gap | total | notes |\n|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        }

        File.AppendAllText(file, line + "\n");
    }
}
