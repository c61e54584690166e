using System.CommandLine;
using System.Text.Json;

namespace ContextPush.Cli;

/// <summary>Parsing with the exit codes of <see cref="ExitCodes"/>, and the options several verbs share.</summary>
public static class CommandLine
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static async Task<int> InvokeAsync(RootCommand root, string[] args)
    {
        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var error in parsed.Errors)
            {
                await Console.Error.WriteLineAsync($"contextpush: {error.Message}");
            }

            await Console.Error.WriteLineAsync("Run 'contextpush --help' for the verbs and their options.");
            return ExitCodes.Usage;
        }

        return await parsed.InvokeAsync();
    }

    public static Option<bool> JsonOption() => new("--json") { Description = "Write the result as JSON on standard output, for machines" };

    /// <summary>A service's base URL: the option, else CONTEXTPUSH_&lt;SERVICE&gt;_URL.</summary>
    public static Option<Uri?> ServiceOption(string service) => new($"--{service}")
    {
        Description = $"The {service}'s base URL, e.g. http://localhost:5080 (default: $CONTEXTPUSH_{service.ToUpperInvariant()}_URL)",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable($"CONTEXTPUSH_{service.ToUpperInvariant()}_URL") is { Length: > 0 } url
            && Uri.TryCreate(url, UriKind.Absolute, out var uri) ? uri : null,
        CustomParser = result =>
        {
            var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
            if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https")
            {
                return uri;
            }

            result.AddError($"--{service} '{text}' is not an http(s) URL such as http://localhost:5080");
            return null;
        },
    };

    public static void WriteJson(object value) => Console.Out.WriteLine(JsonSerializer.Serialize(value, Json));

    public static int MissingService(string service)
    {
        Console.Error.WriteLine($"contextpush: no {service} URL: give --{service} http://host:port or set CONTEXTPUSH_{service.ToUpperInvariant()}_URL");
        return ExitCodes.Usage;
    }

    public static int Unreachable(string what, Exception e)
    {
        Console.Error.WriteLine($"contextpush: {what} cannot be reached: {e.Message}");
        return ExitCodes.Unreachable;
    }
}
