using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using ContextPush.Cli.Api;

namespace ContextPush.Cli.Commands;

/// <summary><c>contextpush run &lt;push&gt; [--wait]</c>: triggers a run, and with --wait follows it to its end.</summary>
public static class RunCommand
{
    public static Command Create()
    {
        var push = new Argument<string>("push") { Description = "The push's id" };
        var detector = CommandLine.ServiceOption("detector");
        var wait = new Option<bool>("--wait") { Description = "Follow the run until it ends; exit 1 unless it succeeded" };
        var timeout = new Option<TimeSpan>("--timeout") { Description = "With --wait, give up after this long (e.g. 00:30:00)", DefaultValueFactory = _ => TimeSpan.FromMinutes(30) };
        var json = CommandLine.JsonOption();
        var command = new Command("run", "Trigger a run of the push now") { push, detector, wait, timeout, json };
        command.SetAction((result, ct) => RunAsync(result.GetValue(push)!, result.GetValue(detector), result.GetValue(wait), result.GetValue(timeout), result.GetValue(json), ct));
        return command;
    }

    private static async Task<int> RunAsync(string push, Uri? detector, bool wait, TimeSpan timeout, bool json, CancellationToken ct)
    {
        if (detector is null)
        {
            return CommandLine.MissingService("detector");
        }

        var api = ServiceClient.For<IDetectorApi>(detector);
        try
        {
            var started = await api.StartRunAsync(push, ct);
            if (await ServiceClient.FailureAsync(started, $"the Detector at {detector}", $"run of '{push}' refused") is { } failed)
            {
                return failed;
            }

            var runId = started.Content.GetProperty("runId").GetGuid();
            if (!wait)
            {
                Report(json, started.Content, $"{push}: run {runId} started");
                return ExitCodes.Ok;
            }

            var clock = Stopwatch.StartNew();
            var progress = !json && !Console.IsErrorRedirected;
            while (true)
            {
                var polled = await api.RunAsync(push, runId, ct);
                if (ServiceClient.Unanswered(polled) is { } lost)
                {
                    return CommandLine.Unreachable($"the Detector at {detector} (run {runId} may go on there)", lost);
                }

                if (polled.IsSuccessStatusCode && polled.Content.GetProperty("status").GetString() is { } status && status != "running")
                {
                    if (progress)
                    {
                        await Console.Error.WriteLineAsync();
                    }

                    var run = polled.Content;
                    Report(json, run, string.Create(CultureInfo.InvariantCulture,
                        $"{push}: run {runId} {status}: {Long(run, "rowsRead"):N0} rows read, {Long(run, "deltasEmitted"):N0} deltas sent{(run.TryGetProperty("error", out var e) && e.ValueKind == JsonValueKind.String ? $"; {e.GetString()}" : "")}"));
                    return status == "succeeded" ? ExitCodes.Ok : ExitCodes.Problems;
                }

                if (clock.Elapsed > timeout)
                {
                    await Console.Error.WriteLineAsync($"contextpush: run {runId} of '{push}' still running after {timeout}; it goes on in the Detector");
                    return ExitCodes.Problems;
                }

                if (progress)
                {
                    await Console.Error.WriteAsync(string.Create(CultureInfo.InvariantCulture, $"\r{push}: running {clock.Elapsed.TotalSeconds:0} s"));
                }

                await Task.Delay(TimeSpan.FromMilliseconds(500), ct);
            }
        }
        catch (HttpRequestException e)
        {
            return CommandLine.Unreachable($"the Detector at {detector}", e);
        }
    }

    private static long Long(JsonElement run, string name) => run.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetInt64() : 0;

    private static void Report(bool json, JsonElement run, string text)
    {
        if (json)
        {
            CommandLine.WriteJson(run);
        }
        else
        {
            Console.WriteLine(text);
        }
    }
}
