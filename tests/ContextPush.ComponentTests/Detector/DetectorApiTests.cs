using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Aspire.Hosting;
using Aspire.Hosting.Testing;
using ContextPush.Contracts;
using ContextPush.DemoWarehouse;
using Npgsql;

namespace ContextPush.ComponentTests.Detector;

/// <summary>The Detector's HTTP API, on the real process run by Aspire's orchestrator, alone on a warehouse of its own.</summary>
public sealed class DetectorApiTests(ServersFixture fixture) : IAsyncLifetime
{
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(60) };
    private string _folder = null!;
    private DistributedApplication _app = null!;
    private string _warehouse = null!;
    private string _messaging = null!;

    private Uri Detector => _app.GetEndpoint("detector", "http");

    public async ValueTask InitializeAsync()
    {
        var ct = TestContext.Current.CancellationToken;
        _folder = Directory.CreateTempSubdirectory("pushes-").FullName;
        await File.WriteAllTextAsync(Path.Combine(_folder, "churn-risk.yaml"), DetectorTestBed.Push, ct);
        await File.WriteAllTextAsync(Path.Combine(_folder, "broken.yaml"), DetectorTestBed.Push.Replace("churn-risk", "broken").Replace("key: [account_id]", "key: [nope]"), ct);
        var (prefix, _) = fixture.NextIsolation("api");
        var messaging = _messaging = await fixture.Servers.CreateVirtualHostAsync(prefix, ct);
        _warehouse = await fixture.Servers.CreateDatabaseAsync($"{prefix}_warehouse", ct);
        await using (var warehouse = NpgsqlDataSource.Create(_warehouse))
        {
            await DemoWarehouseSeeder.SeedAsync(warehouse, 200, ct: ct);
        }

        var state = await fixture.Servers.CreateDatabaseAsync($"{prefix}_detectordb", ct);
        var builder = TestingBuilderExtensions.CreateModel($"--ConnectionStrings:messaging={messaging}", $"--ConnectionStrings:warehouse={_warehouse}",
            $"--ConnectionStrings:detectordb={state}");
        builder.AddProject<Projects.ContextPush_Detector>("detector")
            .WithReference(builder.AddConnectionString("messaging"))
            .WithReference(builder.AddConnectionString("warehouse"))
            .WithReference(builder.AddConnectionString("detectordb"))
            .WithEnvironment("Detector__PushesPath", _folder)
            .WithEnvironment("Detector__SchedulesEnabled", "false")
            .WithEnvironment("Detector__ReloadInterval", "00:00:00.200")
            .WithHttpEndpoint()
            .WithHttpHealthCheck("/health")
            .WithoutTelemetryExport();
        _app = builder.Build();
        await _app.StartAsync(ct);
        await _app.ResourceNotifications.WaitForResourceHealthyAsync("detector", ct);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _http.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task The_listing_shows_valid_pushes_and_broken_files_with_their_errors()
    {
        var listing = await GetAsync("/pushes");

        var push = Assert.Single(listing.GetProperty("pushes").EnumerateArray());
        Assert.Equal("churn-risk", push.GetProperty("id").GetString());
        Assert.Equal("0 8 * * *", push.GetProperty("schedule").GetString());
        var broken = Assert.Single(listing.GetProperty("invalid").EnumerateArray());
        Assert.EndsWith("broken.yaml", broken.GetProperty("file").GetString());
        Assert.Equal("key", broken.GetProperty("field").GetString());
        Assert.Contains("column 'nope' is not returned", broken.GetProperty("error").GetString());
    }

    [Fact]
    public async Task A_triggered_run_answers_with_its_id_and_is_then_listed_with_its_figures()
    {
        using var trigger = await _http.PostAsync(new Uri(Detector, "/pushes/churn-risk/runs"), null, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Accepted, trigger.StatusCode);
        var runId = (await trigger.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken)).GetProperty("runId").GetGuid();
        Assert.Equal($"/pushes/churn-risk/runs/{runId}", trigger.Headers.Location?.ToString());

        var run = await FinishedRunAsync(runId);

        Assert.Equal("succeeded", run.GetProperty("status").GetString());
        Assert.True(run.GetProperty("rowsRead").GetInt64() > 0);
        Assert.True(run.GetProperty("baseline").GetBoolean());
        var lastRun = (await GetAsync("/pushes")).GetProperty("pushes")[0].GetProperty("lastRun");
        Assert.Equal(runId, lastRun.GetProperty("runId").GetGuid());
        Assert.True(lastRun.GetProperty("durationMs").GetDouble() > 0);
    }

    [Fact]
    public async Task Run_pushes_now_starts_a_run_of_every_valid_push_and_none_of_the_broken_ones()
    {
        using var trigger = await _http.PostAsync(new Uri(Detector, "/pushes/runs"), null, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Accepted, trigger.StatusCode);
        var started = (await trigger.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken)).GetProperty("runs");

        var only = Assert.Single(started.EnumerateArray());
        Assert.Equal("churn-risk", only.GetProperty("pushId").GetString());
        var run = await FinishedRunAsync(only.GetProperty("runId").GetGuid());
        Assert.Equal("succeeded", run.GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_preview_shows_what_a_run_would_send_without_recording_or_sending_it()
    {
        await PostAsync("/pushes/churn-risk/runs?wait=true");
        await using (var update = NpgsqlDataSource.Create(_warehouse))
        {
            await using var command = update.CreateCommand("UPDATE accounts SET churn_probability = 0.99 WHERE id IN (3, 4, 5)");
            await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        }

        await using var bus = await MessageObserver.StartAsync(_messaging);
        var preview = await PostAsync("/pushes/churn-risk/preview?limit=2");
        var again = await PostAsync("/pushes/churn-risk/preview?limit=2");
        var run = await PostAsync("/pushes/churn-risk/runs?wait=true");

        Assert.False(preview.GetProperty("baseline").GetBoolean());
        Assert.Equal(2, preview.GetProperty("deltas").GetArrayLength());
        var expected = preview.GetProperty("deltaCount").GetInt64();
        Assert.True(expected >= 1);
        Assert.Equal(expected, again.GetProperty("deltaCount").GetInt64());
        Assert.Equal(expected, run.GetProperty("deltasEmitted").GetInt64());

        // On the bus, only the run's deltas: the previews before it published nothing.
        var runId = run.GetProperty("runId").GetGuid();
        await Eventually.UntilAsync($"the run's {expected} deltas on the bus", () => Task.FromResult(bus.Received<DeltaDetected>(d => d.RunId == runId).Count == expected));
        Assert.Empty(bus.Received<DeltaDetected>(d => d.RunId != runId).Select(d => $"account {d.AccountKey}, run {d.RunId}"));
    }

    [Fact]
    public async Task The_run_history_pages_newest_first_without_gaps_or_repeats()
    {
        var ran = new List<Guid>();
        for (var i = 0; i < 3; i++)
        {
            ran.Add((await PostAsync("/pushes/churn-risk/runs?wait=true")).GetProperty("runId").GetGuid());
        }

        var first = await GetAsync("/pushes/churn-risk/runs?limit=2");
        var second = await GetAsync(first.GetProperty("next").GetString()!);

        Assert.Equal([ran[2], ran[1]], first.GetProperty("runs").EnumerateArray().Select(r => r.GetProperty("runId").GetGuid()));
        Assert.Equal([ran[0]], second.GetProperty("runs").EnumerateArray().Select(r => r.GetProperty("runId").GetGuid()));
        Assert.Equal(JsonValueKind.Null, second.GetProperty("next").ValueKind);
        Assert.All(first.GetProperty("runs").EnumerateArray(), r => Assert.Equal("succeeded", r.GetProperty("status").GetString()));
        using var unknown = await _http.GetAsync(new Uri(Detector, "/pushes/no-such-push/runs"), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        using var badCursor = await _http.GetAsync(new Uri(Detector, "/pushes/churn-risk/runs?before=yesterday"), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.BadRequest, badCursor.StatusCode);
    }

    [Fact]
    public async Task An_unknown_or_broken_push_cannot_be_run_and_says_why()
    {
        using var unknown = await _http.PostAsync(new Uri(Detector, "/pushes/nope/runs"), null, TestContext.Current.CancellationToken);
        using var broken = await _http.PostAsync(new Uri(Detector, "/pushes/broken/runs"), null, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, broken.StatusCode);
        Assert.Contains("key: column 'nope'", await broken.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task A_new_push_file_is_picked_up_without_a_restart()
    {
        await File.WriteAllTextAsync(Path.Combine(_folder, "usage.yaml"), DetectorTestBed.Push.Replace("churn-risk", "usage-drop"),
            TestContext.Current.CancellationToken);

        await Eventually.GetAsync("the new push file in the listing",
            async () => (await GetAsync("/pushes")).GetProperty("pushes").EnumerateArray().Select(p => p.GetProperty("id").GetString()).ToArray(),
            ids => ids.Contains("usage-drop"), TimeSpan.FromSeconds(10), ids => string.Join(", ", ids));
    }

    /// <summary>A triggered run once it has finished, failing the test when it is still running after a minute.</summary>
    private async Task<JsonElement> FinishedRunAsync(Guid runId) => (await Eventually.GetAsync<JsonElement?>($"run {runId} finished", async () =>
    {
        // The run is recorded by the background task the trigger started: not found yet is still to come.
        using var response = await _http.GetAsync(new Uri(Detector, $"/pushes/churn-risk/runs/{runId}"), TestContext.Current.CancellationToken);
        return response.StatusCode == HttpStatusCode.NotFound ? null : await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
    }, run => run?.GetProperty("status").GetString() is { } status && status != "running", lastSeen: run => run?.ToString() ?? "not found"))!.Value;

    private async Task<JsonElement> GetAsync(string path) =>
        await _http.GetFromJsonAsync<JsonElement>(new Uri(Detector, path), TestContext.Current.CancellationToken);

    private async Task<JsonElement> PostAsync(string path)
    {
        using var response = await _http.PostAsync(new Uri(Detector, path), null, TestContext.Current.CancellationToken);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {body}");
        return body;
    }
}
