using System.CommandLine;
using ContextPush.PushFiles;

namespace ContextPush.Cli.Commands;

/// <summary><c>contextpush schema</c>: the JSON Schema of push files, for editors and other checkers.</summary>
public static class SchemaCommand
{
    public static Command Create()
    {
        var output = new Option<FileInfo?>("--output", "-o") { Description = "Write it to this file instead of standard output" };
        var command = new Command("schema", "Print the JSON Schema of push files, generated from the loader's own types") { output };
        command.SetAction(async (result, ct) =>
        {
            var text = PushSchema.Text();
            if (result.GetValue(output) is { } file)
            {
                await File.WriteAllTextAsync(file.FullName, text, ct);
            }
            else
            {
                await Console.Out.WriteAsync(text);
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}
