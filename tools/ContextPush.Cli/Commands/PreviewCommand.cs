using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using ContextPush.Cli.Api;
using ContextPush.Contracts;
using ContextPush.Wording;

namespace ContextPush.Cli.Commands;

/// <summary>
/// <c>contextpush preview &lt;push&gt;</c>: what a run would send now, asked of a running Detector,
/// which diffs against what was last notified without recording or publishing anything.
/// </summary>
public static class PreviewCommand
{
    public static Command Create()
    {
        var push = new Argument<string>("push") { Description = "The push's id" };
        var detector = CommandLine.ServiceOption("detector");
        var limit = new Option<int>("--limit") { Description = "Show at most this many deltas (1 to 1000)", DefaultValueFactory = _ => 20 };
        var json = CommandLine.JsonOption();
        var command = new Command("preview", "Show the deltas a run of the push would send now; nothing is recorded or sent") { push, detector, limit, json };
        command.SetAction((result, ct) => RunAsync(result.GetValue(push)!, result.GetValue(detector), result.GetValue(limit), result.GetValue(json), ct));
        return command;
    }

    private static async Task<int> RunAsync(string push, Uri? detector, int limit, bool json, CancellationToken ct)
    {
        if (detector is null)
        {
            return CommandLine.MissingService("detector");
        }

        var response = await ServiceClient.For<IDetectorApi>(detector).PreviewAsync(push, limit, ct);

        if (await ServiceClient.FailureAsync(response, $"the Detector at {detector}", $"preview of '{push}' refused") is { } failed)
        {
            return failed;
        }

        var preview = response.Content;
        if (json)
        {
            CommandLine.WriteJson(preview);
            return ExitCodes.Ok;
        }

        var baseline = preview.GetProperty("baseline").GetBoolean();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{push}: {preview.GetProperty("rowsRead").GetInt64():N0} rows read, {preview.GetProperty("deltaCount").GetInt64():N0} deltas{(baseline ? " (first run: only a baseline would be recorded, nothing sent)" : "")}"));
        var rows = preview.GetProperty("deltas").EnumerateArray().Select(d => d.Deserialize<DeltaDetected>(CommandLine.Json)!).ToList();
        if (rows.Count == 0)
        {
            return ExitCodes.Ok;
        }

        var table = rows.Select(d => new[]
        {
            d.Kind.ToString().ToLowerInvariant(),
            d.AccountKey,
            string.Join(", ", d.Metrics.Select(m => $"{m.Key} {MetricText.Describe(m.Value, d.PreviousMetrics.GetValueOrDefault(m.Key), MetricText.Of(d, m.Key))}")),
        }).Prepend(["KIND", "ACCOUNT", "METRICS"]).ToList();
        var widths = Enumerable.Range(0, 2).Select(i => table.Max(r => r[i].Length)).ToArray();
        foreach (var row in table)
        {
            Console.WriteLine($"{row[0].PadRight(widths[0])}  {row[1].PadRight(widths[1])}  {row[2]}");
        }

        return ExitCodes.Ok;
    }
}
