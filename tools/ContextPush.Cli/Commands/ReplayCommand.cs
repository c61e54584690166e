using System.CommandLine;
using ContextPush.Cli.Api;

namespace ContextPush.Cli.Commands;

/// <summary>
/// <c>contextpush replay &lt;service&gt;</c>: moves parked messages from a service's <c>_error</c>
/// queues back to work, all of them or one push's or one delta's; --dry-run only counts.
/// </summary>
public static class ReplayCommand
{
    public static Command Create()
    {
        var service = new Argument<string>("service")
        {
            Description = "The service's base URL (http://dispatcher:8080), or its name when CONTEXTPUSH_<NAME>_URL is set",
        };
        var queue = new Option<string?>("--queue") { Description = "Only this work queue's parked messages, e.g. dispatcher-delivery-approved" };
        var push = new Option<string?>("--push") { Description = "Only this push's messages" };
        var delta = new Option<string?>("--delta") { Description = "Only this delta's messages (a DeltaId)" };
        var dryRun = new Option<bool>("--dry-run") { Description = "Count what would move, and move nothing" };
        var limit = new Option<int?>("--limit") { Description = "Move at most this many" };
        var json = CommandLine.JsonOption();
        var command = new Command("replay", "Move parked messages from a service's error queues back to its queues") { service, queue, push, delta, dryRun, limit, json };
        command.SetAction((result, ct) => RunAsync(result.GetValue(service)!, result.GetValue(queue), result.GetValue(push), result.GetValue(delta),
            result.GetValue(dryRun), result.GetValue(limit), result.GetValue(json), ct));
        return command;
    }

    private static async Task<int> RunAsync(string service, string? queue, string? push, string? delta, bool dryRun, int? limit, bool json, CancellationToken ct)
    {
        if (!Uri.TryCreate(service, UriKind.Absolute, out var url)
            && !Uri.TryCreate(Environment.GetEnvironmentVariable($"CONTEXTPUSH_{service.ToUpperInvariant()}_URL"), UriKind.Absolute, out url))
        {
            return CommandLine.MissingService(service);
        }

        var response = await ServiceClient.For<IAdminApi>(url).ReplayAsync(queue, push, delta, dryRun, limit, ct);

        if (await ServiceClient.FailureAsync(response, $"{service} at {url}", $"replay refused by {url}") is { } failed)
        {
            return failed;
        }

        if (json)
        {
            CommandLine.WriteJson(response.Content);
            return ExitCodes.Ok;
        }

        var result = response.Content;
        var matched = result.GetProperty("matched").GetInt32();
        Console.WriteLine(dryRun
            ? $"{matched} parked message(s) match; nothing moved (dry run)"
            : $"{result.GetProperty("moved").GetInt32()} of {matched} matching parked message(s) moved back to work");
        return ExitCodes.Ok;
    }
}
