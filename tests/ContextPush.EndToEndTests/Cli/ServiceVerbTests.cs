namespace ContextPush.EndToEndTests.Cli;

/// <summary><c>contextpush preview</c>, <c>run</c> and <c>replay</c> against the running services.</summary>
[Collection(DefaultSystem.Name)]
public sealed class ServiceVerbTests(SharedContextPush shared)
{
    private string Detector => shared.System.Url("detector").ToString();

    private Task<long> RunsAsync() => shared.System.ScalarAsync<long>("detectordb", "SELECT count(*) FROM contextpush.push_runs");

    [Fact]
    public async Task Preview_shows_what_a_run_would_send_and_records_nothing()
    {
        var runs = await RunsAsync();

        var json = await Contextpush.RunAsync("preview", RunningContextPush.PushId, "--detector", Detector, "--json");
        var text = await Contextpush.RunAsync(new Dictionary<string, string> { ["CONTEXTPUSH_DETECTOR_URL"] = Detector }, "preview", RunningContextPush.PushId);

        Assert.True(json.ExitCode == 0, json.ToString());
        Assert.Equal(RunningContextPush.PushId, json.Json.GetProperty("pushId").GetString());
        Assert.True(json.Json.GetProperty("rowsRead").GetInt64() > 0);
        Assert.True(text.ExitCode == 0, text.ToString());
        Assert.Matches($@"^{RunningContextPush.PushId}: \d+ rows read, \d+ deltas", text.Output);
        Assert.Equal(runs, await RunsAsync());
    }

    [Fact]
    public async Task Run_with_wait_follows_the_run_to_its_end()
    {
        var outcome = await Contextpush.RunAsync("run", RunningContextPush.PushId, "--detector", Detector, "--wait", "--json");

        Assert.True(outcome.ExitCode == 0, outcome.ToString());
        Assert.Equal("succeeded", outcome.Json.GetProperty("status").GetString());
        Assert.Equal(1, await shared.System.ScalarAsync<long>("detectordb",
            "SELECT count(*) FROM contextpush.push_runs WHERE run_id = @run AND status = 'succeeded'", ("run", outcome.Json.GetProperty("runId").GetGuid())));
    }

    [Fact]
    public async Task A_push_the_Detector_does_not_have_exits_1_in_its_words()
    {
        var outcome = await Contextpush.RunAsync("run", "no-such-push", "--detector", Detector);

        Assert.Equal(1, outcome.ExitCode);
        Assert.Contains("run of 'no-such-push' refused: No valid push 'no-such-push'", outcome.Errors);
    }

    [Fact]
    public async Task A_Detector_that_cannot_be_reached_exits_3_and_none_given_exits_2()
    {
        var unreachable = await Contextpush.RunAsync("preview", RunningContextPush.PushId, "--detector", "http://127.0.0.1:1");
        var none = await Contextpush.RunAsync(new Dictionary<string, string> { ["CONTEXTPUSH_DETECTOR_URL"] = "" }, "run", RunningContextPush.PushId);

        Assert.True(unreachable.ExitCode == 3, unreachable.ToString());
        Assert.Contains("the Detector at http://127.0.0.1:1/ cannot be reached", unreachable.Errors);
        Assert.Equal(2, none.ExitCode);
        Assert.Contains("give --detector", none.Errors);
    }

    [Fact]
    public async Task Replay_dry_run_counts_and_a_bad_filter_is_refused_in_the_services_words()
    {
        var dispatcher = shared.System.Url("dispatcher").ToString();

        var dryRun = await Contextpush.RunAsync("replay", dispatcher, "--dry-run", "--json");
        var byName = await Contextpush.RunAsync(new Dictionary<string, string> { ["CONTEXTPUSH_DISPATCHER_URL"] = dispatcher }, "replay", "dispatcher", "--dry-run");
        var bad = await Contextpush.RunAsync("replay", dispatcher, "--delta", "not-a-delta");
        var unknown = await Contextpush.RunAsync("replay", "nowhere");

        Assert.True(dryRun.ExitCode == 0, dryRun.ToString());
        Assert.True(dryRun.Json.GetProperty("dryRun").GetBoolean());
        Assert.Equal(0, dryRun.Json.GetProperty("moved").GetInt32());
        Assert.True(byName.ExitCode == 0, byName.ToString());
        Assert.Contains("parked message(s) match; nothing moved (dry run)", byName.Output);
        Assert.Equal(1, bad.ExitCode);
        Assert.Contains("deltaId 'not-a-delta' is not a DeltaId", bad.Errors);
        Assert.Equal(2, unknown.ExitCode);
    }
}
