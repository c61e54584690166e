using System.CommandLine;
using ContextPush.Cli.Api;

namespace ContextPush.Cli.Commands;

/// <summary><c>contextpush explain &lt;push&gt; &lt;account&gt;</c>: "why didn't I get this alert?", from Callbacks' GET /explain.</summary>
public static class ExplainCommand
{
    public static Command Create()
    {
        var push = new Argument<string>("push") { Description = "The push's id" };
        var account = new Argument<string>("account") { Description = "The account's key, as on its cards (key columns joined with '|')" };
        var callbacks = CommandLine.ServiceOption("callbacks");
        var json = CommandLine.JsonOption();
        var command = new Command("explain", "Tell one account's story in one push: the cohort now, each delta's decision, delivery and actions")
        {
            push, account, callbacks, json,
        };
        command.SetAction((result, ct) => ExplainAsync(result.GetValue(push)!, result.GetValue(account)!, result.GetValue(callbacks), result.GetValue(json), ct));
        return command;
    }

    private static async Task<int> ExplainAsync(string push, string account, Uri? callbacks, bool json, CancellationToken ct)
    {
        if (callbacks is null)
        {
            return CommandLine.MissingService("callbacks");
        }

        try
        {
            var explained = await ServiceClient.For<ICallbacksApi>(callbacks).ExplainAsync(push, account, ct);
            if (await ServiceClient.FailureAsync(explained, $"Callbacks at {callbacks}", $"explanation of '{account}' in '{push}' refused") is { } failed)
            {
                return failed;
            }

            if (json)
            {
                CommandLine.WriteJson(explained.Content);
            }
            else
            {
                foreach (var line in explained.Content.GetProperty("story").EnumerateArray())
                {
                    Console.WriteLine(line.GetString());
                }
            }

            // Told, but a part is missing: a script should know.
            return explained.Content.GetProperty("unavailable").EnumerateObject().Any() ? ExitCodes.Problems : ExitCodes.Ok;
        }
        catch (HttpRequestException e)
        {
            return CommandLine.Unreachable($"Callbacks at {callbacks}", e);
        }
    }
}
