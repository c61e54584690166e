using System.CommandLine;
using ContextPush.Cli;
using ContextPush.Cli.Commands;

var root = new RootCommand("contextpush: checks push files before they merge, previews and runs pushes, and replays parked messages.")
{
    ValidateCommand.Create(),
    SchemaCommand.Create(),
    PreviewCommand.Create(),
    RunCommand.Create(),
    ReplayCommand.Create(),
};
return await CommandLine.InvokeAsync(root, args);
